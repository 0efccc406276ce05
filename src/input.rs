//! The one bounded way input files are read: size-checked before and while reading, decoded as UTF-8 with the place of a bad byte.

use std::io::Read as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::limits::{MAX_FILE_BYTES, MAX_FONT_BYTES, MAX_LEDGER_BYTES, MAX_TEMPLATE_BYTES, size};

/// The kinds of input file, each with its size limit and the advice when a file exceeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One `*.toml` file of a bank folder.
    BankFile,
    /// A spreadsheet bank (`.csv`).
    CsvBank,
    /// A blueprint TOML file.
    Blueprint,
    /// A roster CSV file.
    Roster,
    /// A history ledger (JSON Lines).
    Ledger,
    /// A file of a `--templates` folder.
    Template,
    /// A `--font` file.
    Font,
    /// A filled-in scorecard CSV.
    Scorecard,
    /// A kit's `kit.json`.
    KitJson,
}

impl Input {
    /// The largest file of this kind, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            Input::Ledger => MAX_LEDGER_BYTES,
            Input::Template => MAX_TEMPLATE_BYTES,
            Input::Font => MAX_FONT_BYTES,
            Input::BankFile
            | Input::CsvBank
            | Input::Blueprint
            | Input::Roster
            | Input::Scorecard
            | Input::KitJson => MAX_FILE_BYTES,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Input::BankFile => "a bank file",
            Input::CsvBank => "a CSV bank",
            Input::Blueprint => "a blueprint",
            Input::Roster => "a roster",
            Input::Ledger => "a history ledger",
            Input::Template => "a template file",
            Input::Font => "a font",
            Input::Scorecard => "a scorecard",
            Input::KitJson => "a `kit.json`",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Input::BankFile => "split the topic into several files",
            Input::CsvBank => "split the bank into several CSV files and import them one by one",
            Input::Blueprint => "check that this is the blueprint you meant",
            Input::Roster => "split the round into several rosters",
            Input::Ledger => "archive it and start a new ledger with --history NEW_FILE",
            Input::Template => "check that this is the template you meant",
            Input::Font => "use a font file with fewer scripts, or a subset of it",
            Input::Scorecard | Input::KitJson => "check that this is the file you meant",
        }
    }
}

/// Reads a whole input file, refusing before reading when it is not a regular file or is
/// larger than the limit for its kind.
///
/// The length is checked twice: from the metadata, so a 50 MB file is never read, and
/// while reading (through `take`), so a file that grows meanwhile, or a device such as
/// `/dev/zero` reached through a symbolic link, cannot make the read unbounded.
pub fn read(path: &Path, input: Input) -> Result<Vec<u8>> {
    let limit = input.max_bytes();
    let metadata = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if metadata.is_dir() {
        return Err(Error::invalid(
            path.display().to_string(),
            None,
            format!("this is a folder; give the path of {}", input.what()),
        ));
    }
    // A FIFO or a device could block forever or never end.
    if !metadata.is_file() {
        return Err(Error::invalid(
            path.display().to_string(),
            None,
            format!(
                "this is not a regular file (a device, pipe or socket); give the path of {}",
                input.what()
            ),
        ));
    }
    check_size(&path.display().to_string(), metadata.len(), input)?;
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    check_size(&path.display().to_string(), bytes.len() as u64, input)?;
    Ok(bytes)
}

/// [`read`] for a file that may not exist yet (a new ledger): `None` when it is absent.
pub fn read_optional(path: &Path, input: Input) -> Result<Option<Vec<u8>>> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => read(path, input).map(Some),
    }
}

/// [`read`] then [`decode`]: an input file as UTF-8 text without a byte order mark.
pub fn read_text(path: &Path, input: Input) -> Result<String> {
    let bytes = read(path, input)?;
    decode(&path.display().to_string(), &bytes).map(str::to_owned)
}

/// Refuses `len` bytes of `file` when it is over the limit for `input`.
pub fn check_size(file: &str, len: u64, input: Input) -> Result<()> {
    let limit = input.max_bytes();
    if len > limit {
        return Err(Error::invalid(
            file,
            None,
            format!(
                "the file is {}; {} may be at most {} (see Limits in the README); {}",
                size(len),
                input.what(),
                size(limit),
                input.fix()
            ),
        ));
    }
    Ok(())
}

/// Text of an input file: UTF-8, a leading byte order mark dropped. A UTF-16 file or an
/// invalid byte is an error naming the line and the byte.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::invalid(
            file,
            Some(1),
            "the file is UTF-16 text; save it as UTF-8",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        Error::invalid(
            file,
            Some(line),
            format!(
                "the file is not valid UTF-8 text (byte 0x{byte:02X}); save it as UTF-8 (or, if it is not a text file, check the path)"
            ),
        )
    })
}
