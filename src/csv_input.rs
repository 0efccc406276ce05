//! The one CSV reader for every input (roster, bank CSV, scorecards): files as Excel and other spreadsheets save them.
//!
//! A UTF-8 byte order mark is skipped, CRLF and LF line ends are both fine, and the
//! delimiter (`,` `;` tab or `|`) is found by locating the header the caller expects: the
//! delimiter that splits the first row into the most known column names wins. UTF-16
//! ("Unicode Text") and Latin-1 / Windows-1252 files ("CSV (Comma delimited)" on an older
//! Excel) are refused with a message saying how to re-save them as UTF-8.

use crate::error::{Error, Problem, Result};

/// Delimiters a spreadsheet may have saved the file with, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The UTF-8 byte order mark Excel writes at the start of "CSV UTF-8" files.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to re-save a file as UTF-8, appended to every encoding message.
const RESAVE: &str = "re-save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; in LibreOffice, Save As > Text CSV with character set \"Unicode (UTF-8)\"";

/// A CSV file read whole: the header row and the rows under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The delimiter the file was read with.
    pub delimiter: u8,
    /// The header row's cells, trimmed; empty when the file has no rows at all.
    pub header: Vec<String>,
    /// The rows under the header that have at least one non-blank cell.
    pub rows: Vec<Row>,
}

/// One row under the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row as a spreadsheet numbers it: the header is row 1, the first row under it 2.
    pub number: usize,
    /// The cells as written (not trimmed), as many as the row has.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in `column` as written; a short row's missing cells read as empty.
    pub fn get(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

impl Table {
    /// Reads `bytes` (the file `file`, for messages) as CSV whose header should name some
    /// of `known` columns; header names match [`header_key`]-insensitively.
    ///
    /// Fails on an encoding other than UTF-8 (naming the line and how to re-save), and on a
    /// row the CSV parser cannot read (every such row is reported).
    pub fn read(file: &str, bytes: &[u8], known: &[&str]) -> Result<Table> {
        let text = decode(file, bytes)?;
        let delimiter = find_delimiter(text, known);
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let number = index + 1;
            match record {
                Ok(record) if number == 1 => {
                    header = record.iter().map(|c| c.trim().to_owned()).collect();
                }
                Ok(record) if record.iter().all(|c| c.trim().is_empty()) => {}
                Ok(record) => rows.push(Row {
                    number,
                    cells: record.iter().map(str::to_owned).collect(),
                }),
                Err(e) => problems.push(Problem::at(
                    file,
                    Some(number),
                    format!("cannot read the row: {e}"),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        Ok(Table {
            delimiter,
            header,
            rows,
        })
    }

    /// Every header column whose name matches `name` ([`header_key`]-insensitively).
    pub fn columns(&self, name: &str) -> Vec<usize> {
        let key = header_key(name);
        self.header
            .iter()
            .enumerate()
            .filter(|(_, h)| header_key(h) == key)
            .map(|(i, _)| i)
            .collect()
    }

    /// The first header column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns(name).first().copied()
    }

    /// The header's columns for a message: "`Name`, `E-mail` (read with `;` as the delimiter)",
    /// or "no columns" for an empty header.
    pub fn found(&self) -> String {
        let names: Vec<String> = self
            .header
            .iter()
            .map(|h| format!("`{}`", crate::limits::shown(h)))
            .collect();
        let delimiter = match self.delimiter {
            b'\t' => "tab".to_owned(),
            d => format!("`{}`", d as char),
        };
        if names.is_empty() {
            "no columns".to_owned()
        } else {
            format!(
                "{} (split at {delimiter}; `,` `;` tab and `|` are recognised)",
                names.join(", ")
            )
        }
    }
}

/// A header name reduced to what identifies it: lowercase letters and digits only, so
/// `Full Name`, `full_name` and `FULLNAME` are one column, as are `E-mail` and `email`.
pub fn header_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The file as UTF-8 text without its byte order mark, or a message naming the encoding
/// it seems to be in and how to re-save it.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str> {
    // Without a byte order mark, UTF-16 text in a Latin script is every other byte NUL.
    let head = &bytes[..bytes.len().min(64)];
    let nuls = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|&(i, &b)| b == 0 && i % 2 == parity)
            .count()
    };
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || (head.len() >= 8
            && (nuls(0) == 0) != (nuls(1) == 0)
            && nuls(0) + nuls(1) >= head.len() / 4);
    if utf16 {
        return Err(Error::invalid(
            file,
            Some(1),
            format!("the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8; {RESAVE}"),
        ));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        // Bytes 0xA0 to 0xFF are the same letter in Latin-1 and Windows-1252.
        let guess = if byte >= 0xA0 {
            format!(", `{}` in Latin-1", char::from(byte))
        } else {
            String::new()
        };
        Error::invalid(
            file,
            Some(line),
            format!(
                "the file is not UTF-8 text (byte 0x{byte:02X}{guess}); it was probably saved as Latin-1 or Windows-1252 (Excel's plain \"CSV (Comma delimited)\"); {RESAVE}"
            ),
        )
    })
}

/// The delimiter of `text`: the one that splits its first row into the most `known`
/// column names; when none finds any, the one that occurs most in the first row outside
/// quotes; `,` when none occurs.
fn find_delimiter(text: &str, known: &[&str]) -> u8 {
    let known: Vec<String> = known.iter().map(|k| header_key(k)).collect();
    let matches = |delimiter: u8| {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => record
                .iter()
                .filter(|cell| known.contains(&header_key(cell)))
                .count(),
            _ => 0,
        }
    };
    let mut best = (0, DELIMITERS[0]);
    for delimiter in DELIMITERS {
        let found = matches(delimiter);
        if found > best.0 {
            best = (found, delimiter);
        }
    }
    if best.0 > 0 {
        best.1
    } else {
        most_frequent(text)
    }
}

/// Of the [`DELIMITERS`], the one that occurs most in the first row outside quotes.
fn most_frequent(text: &str) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8], known: &[&str]) -> Table {
        Table::read("t.csv", text, known).unwrap()
    }

    #[test]
    fn the_delimiter_is_the_one_that_finds_the_header() {
        let known = ["name", "email"];
        assert_eq!(table(b"name,email\n", &known).delimiter, b',');
        assert_eq!(table(b"name;email\r\na;b\r\n", &known).delimiter, b';');
        assert_eq!(table(b"name\temail\n", &known).delimiter, b'\t');
        assert_eq!(table(b"name|email\n", &known).delimiter, b'|');
        // A `,` inside a header cell does not fool it: `;` finds both names.
        assert_eq!(
            table(b"\"name, full\";name;email\n", &known).delimiter,
            b';'
        );
        // One known column: every delimiter finds it, `,` wins the tie.
        assert_eq!(table(b"name\nSmith; John\n", &known).delimiter, b',');
        // None known: the most frequent outside quotes.
        assert_eq!(table(b"a;b;c,d\n", &known).delimiter, b';');
        assert_eq!(table(b"\"a;b\",c,d\n", &known).delimiter, b',');
        assert_eq!(table(b"x\n", &known).delimiter, b',');
    }

    #[test]
    fn bom_crlf_and_blank_rows() {
        let t = table(
            b"\xEF\xBB\xBF Name ;Email\r\nAda;a@x\r\n;\r\n\r\nBob;\r\n",
            &["name"],
        );
        assert_eq!(t.header, ["Name", "Email"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!((t.rows[0].number, t.rows[0].get(1)), (2, "a@x"));
        // A blank line is no record (the csv crate skips it), a row of empty cells is one.
        assert_eq!((t.rows[1].number, t.rows[1].get(1)), (4, ""));
        assert_eq!(t.rows[1].get(7), "");
        assert_eq!(t.column("EMAIL"), Some(1));
        assert_eq!(t.columns("e-mail"), [1]);
        assert_eq!(
            t.found(),
            "`Name`, `Email` (split at `;`; `,` `;` tab and `|` are recognised)"
        );
        assert!(table(b"", &["name"]).header.is_empty());
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key(" Full Name "), "fullname");
        assert_eq!(header_key("key_points"), "keypoints");
        assert_eq!(header_key("E-Mail"), "email");
        assert_eq!(header_key("Prénom"), "prénom");
    }

    #[test]
    fn other_encodings_say_how_to_resave() {
        let err = |bytes: &[u8]| Table::read("t.csv", bytes, &[]).unwrap_err().to_string();
        let utf16 = format!(
            "`t.csv` line 1: the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8; {RESAVE}"
        );
        assert_eq!(err(b"\xFF\xFEn\x00a\x00"), utf16);
        assert_eq!(
            err(b"n\x00a\x00m\x00e\x00,\x00e\x00m\x00a\x00i\x00l\x00"),
            utf16
        );
        assert_eq!(
            err(b"name\nJos\xE9\n"),
            format!(
                "`t.csv` line 2: the file is not UTF-8 text (byte 0xE9, `\u{e9}` in Latin-1); it was probably saved as Latin-1 or Windows-1252 (Excel's plain \"CSV (Comma delimited)\"); {RESAVE}"
            )
        );
    }
}
