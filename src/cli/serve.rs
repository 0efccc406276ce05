//! Arguments of `interview-kit serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// Arguments of `interview-kit serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Anything but loopback lets other machines reach the app.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Bank replacing the built-in one: a folder of `*.toml` files or a `.csv` file.
    #[arg(long, value_name = "PATH")]
    pub bank: Option<PathBuf>,

    /// Folder of templates overriding the built-in ones file by file; its `web/` folder
    /// overrides the pages (`web/layout.hbs`, `web/app.css`, ...).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Folder receiving one `batch-N` folder per round created in the app.
    #[arg(long, value_name = "DIR", default_value = "kits")]
    pub out: PathBuf,

    #[command(flatten)]
    pub workspace: super::WorkspaceArgs,
}
