//! Input limits: the most any file, field or list may hold.
//!
//! Every loader (bank TOML and CSV, blueprint, roster, history ledger, templates, kit codes)
//! checks these limits, so hostile or broken input fails fast with a message naming the
//! file, the line where there is one, the limit and what to do, instead of exhausting
//! memory or time. The numbers are far above what real banks and rounds need: the built-in
//! bank is 181 questions in 0.5 MB, its longest field 1,265 characters.

/// Largest bank TOML file, CSV bank, blueprint, roster, scorecard or `kit.json`: 16 MiB.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Largest bank folder, all its `*.toml` files together: 32 MiB.
pub const MAX_BANK_BYTES: u64 = 32 << 20;

/// Most `*.toml` files in a bank folder.
pub const MAX_BANK_FILES: usize = 1_000;

/// Most questions in a bank (TOML or CSV).
pub const MAX_QUESTIONS: usize = 5_000;

/// Longest text field of a bank or blueprint (prompt, code, purpose, answer, topic
/// description, instructions), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Longest list item (key point, follow-up, red flag, tag, source, rubric descriptor), in characters.
pub const MAX_ITEM_CHARS: usize = 1_000;

/// Most items in one list of a question (follow-ups, red flags, tags, sources).
pub const MAX_LIST_ITEMS: usize = 50;

/// Longest id (question, topic), in characters.
pub const MAX_ID_CHARS: usize = 64;

/// Longest name or title: candidate name, email and ATS id, topic title, blueprint name and
/// role, rubric level name; in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Most minutes one question may take.
pub const MAX_QUESTION_MINUTES: u32 = 600;

/// Most questions in one kit: a blueprint's `questions`, any topic or level count, and their sum.
pub const MAX_KIT_QUESTIONS: u32 = 200;

/// Most entries in a blueprint's `[topics]`, and in each of `include` and `exclude`.
pub const MAX_BLUEPRINT_ENTRIES: usize = 1_000;

/// Most candidates in one roster.
pub const MAX_ROSTER: usize = 20_000;

/// Largest history ledger file: 64 MiB (about 150,000 kits).
pub const MAX_LEDGER_BYTES: u64 = 64 << 20;

/// Most entries (kits) in a history ledger.
pub const MAX_LEDGER_ENTRIES: usize = 100_000;

/// Longest kit code accepted by `replay`, in characters (real codes have about 20).
pub const MAX_KIT_CODE_CHARS: usize = 64;

/// Deepest nesting of tables and arrays in any TOML file. The `toml` crate enforces this
/// itself (its parser stops at depth 80 instead of recursing further), so deeply nested
/// input is an error, never a stack overflow; the constant documents it and a test pins it.
pub const MAX_TOML_DEPTH: usize = 80;

/// Largest `--font` file: 64 MiB (a full CJK font collection is about 20 MiB).
pub const MAX_FONT_BYTES: u64 = 64 << 20;

/// Largest template file (`*.hbs`, `wording.toml`, `print.css`, profiles): 1 MiB.
pub const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// Deepest nesting of handlebars blocks (`{{#if}}`, `{{#each}}`, …) in a template; the
/// built-in templates nest 3 deep. Deeper nesting would overflow the stack when rendering.
pub const MAX_TEMPLATE_DEPTH: usize = 8;

/// Deepest nesting of `{{#each}}` blocks in a template; the built-in templates nest 2 deep.
/// Each level multiplies the work, so this bounds rendering time.
pub const MAX_EACH_DEPTH: usize = 3;

/// Largest document a template may render: 16 MiB.
pub const MAX_RENDERED_BYTES: usize = 16 << 20;

/// Most problems one error message lists; the rest are counted, so an error stays one screen.
pub const MAX_PROBLEMS_SHOWN: usize = 50;

pub use crate::input::{Input, check_size, decode, read, read_optional, read_text};
pub use crate::sanitize::{clean_name, name_problem, shown, text_problem};

/// Why a handlebars template is refused before it is compiled or rendered, with the line
/// (1-based, within `text`) it is on; `Ok` when it is fine.
///
/// Blocks may nest at most [`MAX_TEMPLATE_DEPTH`] deep, `{{#each}}` blocks at most
/// [`MAX_EACH_DEPTH`] deep: deeper nesting overflows the stack when rendering, or multiplies
/// the work without bound. Partials (`{{> name}}`) and decorators (`{{* name}}`) are
/// refused: a template that includes another, or itself, could recurse until the stack
/// overflows, and the built-in templates need neither.
pub fn check_template(text: &str) -> std::result::Result<(), (usize, String)> {
    check_nesting(text)?;
    // Nesting is bounded now, so compiling (and walking the result) cannot recurse deeply.
    match handlebars::Template::compile(text) {
        Ok(template) => check_compiled(&template),
        // The caller compiles it again and reports the syntax error with its position.
        Err(_) => Ok(()),
    }
}

/// The part of [`check_template`] that needs the compiled template: no partials, no
/// decorators. Call it only on a template whose text passed [`check_nesting`].
pub(crate) fn check_compiled(
    template: &handlebars::Template,
) -> std::result::Result<(), (usize, String)> {
    let mut pending = vec![template];
    while let Some(template) = pending.pop() {
        for (i, element) in template.elements.iter().enumerate() {
            use handlebars::template::TemplateElement as E;
            match element {
                E::PartialExpression(_)
                | E::PartialBlock(_)
                | E::DecoratorExpression(_)
                | E::DecoratorBlock(_) => {
                    let line = template.mapping.get(i).map_or(1, |m| m.0);
                    return Err((
                        line,
                        "partials (`{{> name}}`) and decorators (`{{* name}}`) are not supported: a template cannot include another; copy the text in instead".into(),
                    ));
                }
                E::HelperBlock(block) => {
                    pending.extend(block.template.iter());
                    pending.extend(block.inverse.iter());
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Scans the block openers and closers of `text`, counting nesting, without parsing it.
pub(crate) fn check_nesting(text: &str) -> std::result::Result<(), (usize, String)> {
    let bytes = text.as_bytes();
    // For each open block: whether it is an `each`.
    let mut open: Vec<bool> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            line += 1;
        }
        if !bytes[i..].starts_with(b"{{") {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        while j < bytes.len() && bytes[j] == b'{' {
            j += 1;
        }
        // `{{{{raw}}}}` … `{{{{/raw}}}}` is a raw block.
        let raw = j - i >= 4;
        while j < bytes.len() && bytes[j] == b'~' {
            j += 1;
        }
        let rest = &bytes[j..];
        if raw {
            if rest.starts_with(b"/") {
                open.pop();
            } else {
                open.push(false);
            }
            i = j;
            continue;
        }
        if rest.starts_with(b"!") {
            // Comments may hold braces; skip to their end.
            let end: &[u8] = if rest.starts_with(b"!--") {
                b"--}}"
            } else {
                b"}}"
            };
            let skip = rest
                .windows(end.len())
                .position(|w| w == end)
                .map_or(rest.len(), |p| p + end.len());
            line += rest[..skip].iter().filter(|&&b| b == b'\n').count();
            i = j + skip;
            continue;
        }
        match rest.first() {
            Some(b'#') => {
                let name = rest[1..].trim_ascii_start();
                open.push(name.starts_with(b"each"));
            }
            // `{{^}}` is an else; `{{^name}}` opens an inverted block.
            Some(b'^') if !matches!(rest.get(1), Some(b'}' | b'~') | None) => open.push(false),
            Some(b'/') => {
                open.pop();
            }
            _ => {}
        }
        if open.len() > MAX_TEMPLATE_DEPTH {
            return Err((
                line,
                format!(
                    "blocks nest more than {MAX_TEMPLATE_DEPTH} deep here (see Limits in the README); flatten the template"
                ),
            ));
        }
        if open.iter().filter(|&&each| each).count() > MAX_EACH_DEPTH {
            return Err((
                line,
                format!(
                    "`{{{{#each}}}}` blocks nest more than {MAX_EACH_DEPTH} deep here (see Limits in the README); flatten the template"
                ),
            ));
        }
        i = j;
    }
    Ok(())
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A byte count for people: `512 bytes`, `16 MiB`, `50.0 MiB`.
pub(crate) fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    const KIB: u64 = 1 << 10;
    if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{:.1} MiB", bytes as f64 / MIB as f64)
        }
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{} bytes", thousands(bytes as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn sizes_and_counts_read_well() {
        assert_eq!(size(16 << 20), "16 MiB");
        assert_eq!(size(50_000_000), "47.7 MiB");
        assert_eq!(size(1 << 10), "1 KiB");
        assert_eq!(size(1_000), "1,000 bytes");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn names_are_cleaned_or_refused() {
        assert_eq!(clean_name("  Zoë\u{200F} ").unwrap(), "Zoë");
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "../../etc/passwd");
        assert_eq!(
            clean_name("\u{5D3}\u{5E0}\u{200E}").unwrap(),
            "\u{5D3}\u{5E0}"
        );
        assert!(clean_name("Ada\0").unwrap_err().contains("U+0000"));
        assert!(clean_name("Ada\u{202E}cba").unwrap_err().contains("U+202E"));
        assert!(clean_name("Ada\nLovelace").unwrap_err().contains("U+000A"));
        assert_eq!(clean_name("\u{200E} ").unwrap_err(), "the name is empty");
        assert!(
            clean_name(&"a".repeat(MAX_NAME_CHARS + 1))
                .unwrap_err()
                .contains("201 characters")
        );
    }

    #[test]
    fn text_allows_line_breaks_but_not_controls() {
        assert_eq!(text_problem("code", "a\tb\r\nc", 10), None);
        assert_eq!(
            text_problem("code", "ab\u{1b}[2J", 10).unwrap(),
            "`code` contains the control character U+001B at character 3; remove it"
        );
        assert!(
            text_problem("code", "abc", 2)
                .unwrap()
                .starts_with("`code` is 3 characters long; the limit is 2")
        );
        // Positions count characters across ASCII and non-ASCII text alike.
        assert_eq!(text_problem("t", "déjà vu → ok", 12), None);
        assert!(text_problem("t", "déjà vu → ok", 11).is_some());
        assert_eq!(
            text_problem("t", "ab é\u{202E}x", 10).unwrap(),
            "`t` contains the bidirectional control U+202E (it reorders how text is displayed) at character 5; remove it"
        );
        assert_eq!(
            text_problem("t", "é\u{85}", 10).unwrap(),
            "`t` contains the control character U+0085 at character 2; remove it"
        );
        assert!(text_problem("t", "a\u{7f}", 10).is_some());
    }

    #[test]
    fn decode_names_the_line_of_a_bad_byte_and_drops_a_bom() {
        assert_eq!(decode("f", b"\xEF\xBB\xBFa = 1").unwrap(), "a = 1");
        let err = decode("f", b"a\nb\n\xFFc").unwrap_err().to_string();
        assert!(
            err.starts_with("`f` line 3: the file is not valid UTF-8 text (byte 0xFF)"),
            "{err}"
        );
        let err = decode("f", b"\xFF\xFEa\0").unwrap_err().to_string();
        assert!(err.contains("UTF-16"), "{err}");
    }

    #[test]
    fn templates_that_nest_deeply_or_include_others_are_refused() {
        assert_eq!(
            check_template("{{#if a}}{{#each b}}x{{/each}}{{/if}}"),
            Ok(())
        );
        assert_eq!(
            check_template("{{!-- {{#if}}{{#if}} --}}{{^}}{{x}}"),
            Ok(())
        );
        let deep = "{{#if a}}".repeat(MAX_TEMPLATE_DEPTH + 1);
        let (line, message) = check_template(&format!("\n{deep}")).unwrap_err();
        assert_eq!(line, 2);
        assert!(
            message.starts_with("blocks nest more than 8 deep"),
            "{message}"
        );
        let each = "{{#each a}}\n".repeat(MAX_EACH_DEPTH + 1);
        let (line, message) = check_template(&each).unwrap_err();
        assert_eq!(line, 4);
        assert!(message.starts_with("`{{#each}}` blocks nest"), "{message}");
        let (line, message) =
            check_template("a\n{{#if x}}\n{{> handout.md.hbs}}{{/if}}").unwrap_err();
        assert!(message.starts_with("partials"), "{message}");
        assert!(line >= 2, "{line}");
        assert!(check_template("{{#*inline \"x\"}}{{/inline}}").is_err());
        // Deep input is refused by the scan, never handed to the parser.
        assert!(check_template(&"{{#if a}}".repeat(100_000)).is_err());
    }

    #[test]
    fn toml_nesting_stops_at_the_documented_depth() {
        #[derive(serde::Deserialize)]
        struct Doc {
            #[allow(dead_code)]
            x: toml::Value,
        }
        let nested = |depth: usize| format!("x = {}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(toml::from_str::<Doc>(&nested(MAX_TOML_DEPTH - 2)).is_ok());
        for depth in [MAX_TOML_DEPTH + 1, 100_000] {
            let err = toml::from_str::<Doc>(&nested(depth)).err().unwrap();
            let problem = crate::error::toml_problem("f.toml", &nested(depth), &err);
            assert_eq!(
                problem.message,
                "tables, arrays or dotted keys nest deeper than 80 levels; flatten them"
            );
        }
    }

    #[test]
    fn shown_escapes_and_cuts() {
        assert_eq!(shown("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 61);
    }

    #[test]
    fn oversized_and_special_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let err = read(&path, Input::Roster).unwrap_err().to_string();
        assert!(err.contains("a roster may be at most 16 MiB"), "{err}");
        let err = read(dir.path(), Input::Roster).unwrap_err().to_string();
        assert!(err.contains("this is a folder"), "{err}");
        assert!(
            read_optional(&dir.path().join("none"), Input::Ledger)
                .unwrap()
                .is_none()
        );
        if Path::new("/dev/zero").exists() {
            let err = read(Path::new("/dev/zero"), Input::Roster)
                .unwrap_err()
                .to_string();
            assert!(err.contains("not a regular file"), "{err}");
        }
    }
}
