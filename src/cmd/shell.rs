//! `interview-kit completions SHELL` and `interview-kit man`: the tool's shell integration.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use super::emit;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use interview_kit::error::{Error, Result};
use interview_kit::output::write_file_atomic;

/// The name the scripts and pages are written for; also what users type.
const BIN: &str = "interview-kit";

/// Prints the completion script for one shell.
pub(super) fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), BIN, &mut script);
    if args.shell == clap_complete::Shell::Bash {
        script = fix_bash_arms(script);
    }
    emit(out, &script)
}

/// clap_complete's bash script names each subcommand's `case` arm after the binary with every
/// `-` turned into its subcommand separator (`interview__subcmd__kit__subcmd__bank`), while the
/// loop that picks the arm spells the binary `interview__kit`: no arm ever matched, so nothing
/// after the first word completed (clap-rs/clap#6421). Spelling the arms as the loop does fixes
/// it, and is a no-op once clap_complete does the same.
fn fix_bash_arms(script: Vec<u8>) -> Vec<u8> {
    let arm = format!("{}__subcmd__", BIN.replace('-', "__subcmd__"));
    let dispatch = format!("{}__subcmd__", BIN.replace('-', "__"));
    match String::from_utf8(script) {
        Ok(text) => text.replace(&arm, &dispatch).into_bytes(),
        // Our help texts are UTF-8, so this is unreachable; leave such a script as it is.
        Err(e) => e.into_bytes(),
    }
}

/// Prints the whole command tree as one page, or writes one page per command into `--out`.
pub(super) fn man(args: &ManArgs, out: &mut dyn Write) -> Result<()> {
    let cmd = command_tree();
    match &args.out {
        None => emit(out, &top_page(&cmd, true)?),
        Some(dir) => {
            let written = write_pages(dir, &pages(&cmd)?, args.force)?;
            for path in written {
                super::report(out, format_args!("wrote {}", path.display()));
            }
            Ok(())
        }
    }
}

/// The built command: subcommands know their full names (`interview-kit bank list`). The
/// `help` subcommand is left out, as `man` pages never describe it.
fn command_tree() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    with_synopses(cmd)
}

/// `cmd` and every command below it with [`synopsis`] as its usage, which is what
/// clap_mangen prints as SYNOPSIS (its own leaves the values out: `[--seed]`).
fn with_synopses(mut cmd: clap::Command) -> clap::Command {
    let usage = synopsis(&cmd);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, with_synopses);
    }
    cmd.override_usage(usage)
}

/// One command's synopsis with every option's value: `interview-kit generate [--seed N]
/// [--paper a4|letter] [--candidate NAME]... [-q|--quiet] ... <CODE> <COMMAND>`. Optional
/// items are in brackets, repeatable ones followed by `...`; a value with a short list of
/// possible values shows them.
fn synopsis(cmd: &clap::Command) -> String {
    let mut parts = vec![
        cmd.get_bin_name()
            .unwrap_or_else(|| cmd.get_name())
            .to_owned(),
    ];
    let visible = cmd.get_arguments().filter(|a| !a.is_hide_set());
    let (positionals, options): (Vec<&clap::Arg>, Vec<&clap::Arg>) =
        visible.partition(|a| a.is_positional());
    for arg in options {
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(short), Some(long)) => format!("-{short}|--{long}"),
            (Some(short), None) => format!("-{short}"),
            (None, Some(long)) => format!("--{long}"),
            (None, None) => continue,
        };
        let item = if takes_values(arg) {
            format!("{flag} {}", value_name(arg))
        } else {
            flag
        };
        parts.push(bracket(arg, item));
    }
    for arg in positionals {
        parts.push(bracket(arg, value_name(arg)));
    }
    if cmd.has_subcommands() {
        parts.push("<COMMAND>".to_owned());
    }
    parts.join(" ")
}

/// Whether an option takes a value (a flag does not).
fn takes_values(arg: &clap::Arg) -> bool {
    arg.get_num_args().is_some_and(|n| n.takes_values())
        && !matches!(
            arg.get_action(),
            clap::ArgAction::SetTrue
                | clap::ArgAction::SetFalse
                | clap::ArgAction::Count
                | clap::ArgAction::Help
                | clap::ArgAction::Version
        )
}

/// The value's name as `--help` shows it, or its possible values when there are a few.
fn value_name(arg: &clap::Arg) -> String {
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if (2..=6).contains(&possible.len()) {
        return possible.join("|");
    }
    arg.get_value_names()
        .map(|names| names.join(" "))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// `[item]` for an optional argument, `item` for a required one, `...` after a repeatable one.
fn bracket(arg: &clap::Arg, item: String) -> String {
    let repeats = matches!(arg.get_action(), clap::ArgAction::Append);
    let item = if arg.is_required_set() {
        item
    } else {
        format!("[{item}]")
    };
    if repeats { format!("{item}...") } else { item }
}

/// Every visible command below `cmd`, depth first in declaration order.
fn descendants(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut all = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        all.push(sub);
        all.extend(descendants(sub));
    }
    all
}

/// Rendering into memory cannot fail; if roff ever did, it is a bug worth a clear message.
fn render_error(e: std::io::Error) -> Error {
    Error::Render {
        document: "the manual page".into(),
        message: e.to_string(),
    }
}

/// `interview-kit(1)`. With `tree`, a COMMANDS section gives every subcommand's synopsis and
/// options, so `interview-kit man | man -l -` shows everything without installing anything;
/// without it, a SUBCOMMANDS section points to the pages `--out` writes beside it.
fn top_page(cmd: &clap::Command, tree: bool) -> Result<Vec<u8>> {
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page).map_err(render_error)?;
    man.render_name_section(&mut page).map_err(render_error)?;
    man.render_synopsis_section(&mut page)
        .map_err(render_error)?;
    man.render_description_section(&mut page)
        .map_err(render_error)?;
    man.render_options_section(&mut page)
        .map_err(render_error)?;

    if tree {
        let mut commands = Roff::default();
        commands.control("SH", ["COMMANDS"]);
        commands.to_writer(&mut page).map_err(render_error)?;
        for sub in descendants(cmd) {
            page.extend(command_section(sub)?);
        }
    } else {
        man.render_subcommands_section(&mut page)
            .map_err(render_error)?;
    }
    common_sections()
        .to_writer(&mut page)
        .map_err(render_error)?;
    man.render_version_section(&mut page)
        .map_err(render_error)?;
    Ok(once_preamble(&page))
}

/// One command as a subsection of the single page: its name, what it does, its synopsis and
/// its options. clap_mangen renders these as whole sections; their `.SH` headings become
/// paragraph breaks so they nest under the command's `.SS` heading instead of ending COMMANDS.
fn command_section(sub: &clap::Command) -> Result<Vec<u8>> {
    let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
    let mut heading = Roff::default();
    heading.control("SS", [name]);
    let man = Man::new(sub.clone());
    let mut body = Vec::new();
    man.render_description_section(&mut body)
        .map_err(render_error)?;
    man.render_synopsis_section(&mut body)
        .map_err(render_error)?;
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut body)
            .map_err(render_error)?;
    }
    let body = String::from_utf8_lossy(&body);
    let mut section = heading.render();
    for line in body.lines() {
        // A new paragraph, not a new section: description, synopsis and options stay apart.
        section.push_str(if line.starts_with(".SH") { ".PP" } else { line });
        section.push('\n');
    }
    Ok(section.into_bytes())
}

/// `page` with roff's apostrophe preamble only at the top: every piece rendered on its own
/// (each clap_mangen section, each of ours) starts with it, and once is all a page needs.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = [false; 2];
    let mut kept = String::with_capacity(text.len());
    for line in text.lines() {
        let which = PREAMBLE.iter().position(|p| *p == line);
        if let Some(i) = which {
            if seen[i] {
                continue;
            }
            seen[i] = true;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept.into_bytes()
}

/// The two lines roff writes before every document it renders, defining `\*(Aq`.
const PREAMBLE: [&str; 2] = [r".ie \n(.g .ds Aq \(aq", ".el .ds Aq '"];

/// Sections every page set shares: exit status and the environment variables read.
fn common_sections() -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        (
            "0",
            "Success (for bank lint: no errors). Also when standard output is closed early, as by `| head`.",
        ),
        (
            "1",
            "Bad input data, a failed write, an existing output without --force, or lint errors.",
        ),
        (
            "2",
            "Bad command line: unknown flag or value, unknown topic or question id.",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in [
        (
            "NO_COLOR",
            "When set to a non-empty value, no colour is ever written (https://no-color.org).",
        ),
        (
            "CLICOLOR_FORCE",
            "When set to a non-empty value, colour is written even when the output is not a terminal; NO_COLOR still wins.",
        ),
        ("CLICOLOR", "When set to 0, no colour is written."),
    ] {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }
    roff
}

/// One page per command, git style: `interview-kit.1` lists the subcommands, each named
/// `interview-kit-<sub>(1)`, and every subcommand has its own page.
fn pages(cmd: &clap::Command) -> Result<Vec<(String, Vec<u8>)>> {
    let mut pages = vec![(Man::new(cmd.clone()).get_filename(), top_page(cmd, false)?)];
    for sub in descendants(cmd) {
        let man = Man::new(sub.clone());
        let mut bytes = Vec::new();
        man.render(&mut bytes).map_err(render_error)?;
        pages.push((man.get_filename(), bytes));
    }
    Ok(pages)
}

/// Writes every page into `dir`, each through a temporary file and a rename. An existing
/// page is refused (without `force`) before anything is written, so a clash never leaves a
/// mix of old and new pages.
fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)], force: bool) -> Result<Vec<PathBuf>> {
    if !force
        && let Some(path) = pages
            .iter()
            .map(|(name, _)| dir.join(name))
            .find(|p| p.exists())
    {
        return Err(Error::FileExists { path });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let mut written = Vec::new();
    for (name, bytes) in pages {
        let path = dir.join(name);
        write_file_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_covers_every_command() {
        let cmd = command_tree();
        let page = String::from_utf8(top_page(&cmd, true).unwrap()).unwrap();
        assert!(page.contains("\n.TH interview-kit 1"), "{page}");
        assert_eq!(page.matches(PREAMBLE[0]).count(), 1, "{page}");
        for sub in descendants(&cmd) {
            let name = sub.get_bin_name().unwrap();
            assert!(page.contains(&format!(".SS \"{name}\"")), "{name}");
        }
        // Nested sections would end COMMANDS early; only the page's own sections remain.
        let headings: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH")).collect();
        assert_eq!(
            headings,
            [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH DESCRIPTION",
                ".SH OPTIONS",
                ".SH COMMANDS",
                ".SH \"EXIT STATUS\"",
                ".SH ENVIRONMENT",
                ".SH VERSION"
            ]
        );
    }

    #[test]
    fn synopses_show_every_value() {
        let cmd = command_tree();
        let generate = cmd.find_subcommand("generate").unwrap();
        let usage = synopsis(generate);
        for part in [
            "interview-kit generate ",
            " [--seed N] ",
            " [--candidate NAME]... ",
            " [--paper a4|letter] ",
            " [--format pdf|md|html]... ",
            " [-q|--quiet] ",
            " [--out DIR] ",
        ] {
            assert!(usage.contains(part), "{part} not in {usage}");
        }
        let replay = synopsis(cmd.find_subcommand("replay").unwrap());
        assert!(replay.ends_with(" CODE"), "{replay}");
        assert!(synopsis(&cmd).ends_with(" <COMMAND>"));
        let page = String::from_utf8(top_page(&cmd, true).unwrap()).unwrap();
        assert!(page.contains(r"[\-\-seed N]"), "{page}");
        assert!(!page.contains(r"[\fB\-\-seed\fR]"), "{page}");
    }

    #[test]
    fn pages_are_named_after_their_commands() {
        let names: Vec<String> = pages(&command_tree())
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names[0], "interview-kit.1");
        assert!(names.contains(&"interview-kit-bank-list.1".to_owned()));
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
    }
}
