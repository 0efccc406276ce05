//! Embeds every `bank/*.toml` file, so adding a topic file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=bank");
    let mut names: Vec<String> = std::fs::read_dir("bank")
        .expect("bank/ exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    let mut code = String::from("&[\n");
    for name in &names {
        writeln!(
            code,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/bank/{name}\"))),"
        )
        .expect("writing to a String cannot fail");
    }
    code.push(']');
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_bank.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
