//! The one place CSV is written: RFC 4180 via the csv crate, line ends, BOM, delimiter and formula guard.

use std::borrow::Cow;

use ::csv::{Terminator, WriterBuilder};

use crate::error::{Error, Result};
use crate::kit::Kit;

/// The UTF-8 byte order mark Excel looks for to read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How CSV files are written. The default is what Excel itself writes as "CSV UTF-8", so a
/// double-click opens every accent right: comma, UTF-8 with a byte order mark, CRLF line
/// ends, formula guard on. [`CsvOptions::plain`] is UTF-8 without a BOM and LF line ends,
/// for programs that want that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CsvOptions {
    /// End rows with CRLF (RFC 4180's own line end, and what Excel writes) instead of LF.
    pub crlf: bool,
    /// Start the file with a UTF-8 byte order mark, so Excel does not read it as ANSI.
    pub bom: bool,
    /// The field delimiter, one ASCII byte.
    pub delimiter: u8,
    /// Neutralise cells a spreadsheet would run as a formula (see [`guard_formula`]).
    pub formula_guard: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            crlf: true,
            bom: true,
            delimiter: b',',
            formula_guard: true,
        }
    }
}

impl CsvOptions {
    /// The default without the byte order mark and with LF line ends (`--plain-csv`).
    pub fn plain() -> Self {
        CsvOptions {
            crlf: false,
            bom: false,
            ..CsvOptions::default()
        }
    }

    /// Reads a `--delimiter` value: one ASCII character other than a quote or a line
    /// break, or `tab` (also `\t`) for tab-separated files.
    pub fn parse_delimiter(text: &str) -> Result<u8> {
        let bad = || {
            Error::Usage(format!(
                "--delimiter `{text}` is not usable; give one ASCII character such as `,` `;` `|` or `tab`"
            ))
        };
        let byte = match text {
            "tab" | "\\t" | "\t" => b'\t',
            _ => match text.as_bytes() {
                [b] if b.is_ascii() => *b,
                _ => return Err(bad()),
            },
        };
        if matches!(byte, b'"' | b'\r' | b'\n') || byte.is_ascii_alphanumeric() {
            return Err(bad());
        }
        Ok(byte)
    }

    /// A writer for the document named `document` (the name appears in error messages).
    pub fn writer(&self, document: &str) -> CsvWriter {
        let mut bytes = Vec::new();
        if self.bom {
            bytes.extend_from_slice(BOM);
        }
        let inner = WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(if self.crlf {
                Terminator::CRLF
            } else {
                Terminator::Any(b'\n')
            })
            .from_writer(bytes);
        CsvWriter {
            inner,
            guard: self.formula_guard,
            document: document.to_owned(),
        }
    }
}

/// A CSV document being written row by row; [`CsvWriter::finish`] returns its bytes.
pub struct CsvWriter {
    inner: ::csv::Writer<Vec<u8>>,
    guard: bool,
    document: String,
}

impl CsvWriter {
    /// Writes one row; every cell passes the formula guard when it is on.
    pub fn row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guard = self.guard;
        let cells: Vec<String> = cells
            .into_iter()
            .map(|cell| {
                let cell = cell.as_ref();
                if guard {
                    guard_formula(cell).into_owned()
                } else {
                    cell.to_owned()
                }
            })
            .collect();
        self.inner.write_record(&cells).map_err(|e| Error::Render {
            document: self.document.clone(),
            message: e.to_string(),
        })
    }

    /// The finished file.
    pub fn finish(self) -> Result<Vec<u8>> {
        let document = self.document;
        self.inner.into_inner().map_err(|e| Error::Render {
            document,
            message: e.to_string(),
        })
    }
}

/// Renders the generic scorecard with the built-in templates and default CSV options:
/// kit code, candidate, question, rubric descriptors, empty score and notes.
pub fn scorecard_csv(kit: &Kit) -> Result<Vec<u8>> {
    let profiles = super::Profiles::builtin();
    let profile = profiles.get(super::profile::GENERIC)?;
    super::profile::csv(kit, profile, profiles, &CsvOptions::default())
}

/// Prefixes `'` to a cell a spreadsheet would run as a formula (OWASP CSV injection).
///
/// Cells starting with `=`, `+`, `-`, `@`, tab, carriage return or line feed are
/// neutralised, except a plain number such as `-0.15`, which is data a spreadsheet should
/// read as a number. A cell that starts with `'` in front of such a character gets one
/// more `'`, so [`unguard_formula`] gives back exactly the original cell; everything else
/// passes through unchanged.
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell [`guard_formula`] was given: strips the `'` it adds, and only that one.
///
/// A cell that merely starts with `'` (a name like `'Ada'`) is left alone, so reading
/// back a guarded file gives exactly the values that were written.
pub fn unguard_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// Whether the cell, after any leading `'`, starts a formula. Looking past the quotes is
/// what makes a guarded cell distinguishable from an original that starts with `'`.
fn needs_guard(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    match rest.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => !is_plain_number(rest),
        _ => false,
    }
}

/// `-2`, `+1.5`, `-0.15`: a sign, digits and at most one decimal point between digits.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "\nx",
            "-",
            "+1.",
            "-1e5",
        ] {
            assert_eq!(guard_formula(hostile), format!("'{hostile}"));
            assert_eq!(unguard_formula(&guard_formula(hostile)), hostile);
        }
        for plain in ["José", "", "-0.15", "+1", "42", "'Ada'", "'-2", "a=b"] {
            assert_eq!(guard_formula(plain), plain);
            assert_eq!(unguard_formula(plain), plain);
        }
        // A cell that itself looks guarded is escaped once more, and comes back whole.
        assert_eq!(guard_formula("'=x"), "''=x");
        assert_eq!(unguard_formula("''=x"), "'=x");
    }

    proptest::proptest! {
        #[test]
        fn guarding_round_trips_and_never_starts_a_formula(cell in "['=+@\\-\t\r\n0-9a-z.]{0,8}") {
            let guarded = guard_formula(&cell);
            proptest::prop_assert_eq!(unguard_formula(&guarded), cell.as_str());
            let starts_formula = guarded
                .starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
            proptest::prop_assert!(!starts_formula || is_plain_number(&guarded));
        }
    }

    #[test]
    fn options_shape_the_bytes() {
        let options = CsvOptions {
            crlf: true,
            bom: true,
            delimiter: b';',
            formula_guard: false,
        };
        let mut writer = options.writer("t.csv");
        writer.row(["a;b", "=1"]).unwrap();
        writer.row(["c", "d"]).unwrap();
        assert_eq!(
            writer.finish().unwrap(),
            b"\xEF\xBB\xBF\"a;b\";=1\r\nc;d\r\n".to_vec()
        );
        let mut writer = CsvOptions::plain().writer("t.csv");
        writer.row(["line\nbreak", "@x", "\"q\""]).unwrap();
        assert_eq!(
            writer.finish().unwrap(),
            b"\"line\nbreak\",'@x,\"\"\"q\"\"\"\n".to_vec()
        );
        // The default is what Excel writes: BOM and CRLF.
        let mut writer = CsvOptions::default().writer("t.csv");
        writer.row(["Siobhán", "x"]).unwrap();
        assert_eq!(
            writer.finish().unwrap(),
            "\u{feff}Siobhán,x\r\n".as_bytes().to_vec()
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(CsvOptions::parse_delimiter(";").unwrap(), b';');
        assert_eq!(CsvOptions::parse_delimiter("tab").unwrap(), b'\t');
        assert_eq!(CsvOptions::parse_delimiter("|").unwrap(), b'|');
        for bad in ["", ";;", "\"", "a", "é", "\n"] {
            assert!(CsvOptions::parse_delimiter(bad).is_err(), "{bad:?}");
        }
    }
}
