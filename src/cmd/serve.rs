//! `interview-kit serve`: loads the bank and templates, then runs the web app until Ctrl-C.

use std::io::Write;

use super::report;
use crate::cli::ServeArgs;
use interview_kit::error::Result;

pub(super) fn execute(args: &ServeArgs, out: &mut dyn Write) -> Result<()> {
    let bank = interview_kit::bank::load_path_or_builtin(args.bank.as_deref())?;
    let templates = interview_kit::templates::Templates::load(args.templates.as_deref())?;
    let token = interview_kit::web::auth::random_token()
        .map_err(|e| interview_kit::error::Error::System(e.detail))?;
    if !args.addr.ip().is_loopback() {
        // Best effort, like every progress line: the server runs either way.
        let _ = writeln!(
            std::io::stderr(),
            "warning: listening on {}, not loopback: other machines can reach the app; anyone with the URL below can use it",
            args.addr
        );
    }
    let config = interview_kit::web::Config {
        bank,
        templates,
        templates_dir: args.templates.clone(),
        workspace: super::workspace_location(&args.workspace)?,
        out: args.out.clone(),
        base_url: String::new(),
        token,
    };
    interview_kit::web::serve(config, args.addr, &mut |url| {
        report(
            out,
            format_args!("interview-kit is serving at {url} (Ctrl-C stops it)"),
        );
    })
}
