//! Rosters: the candidates of a hiring round, read from a CSV file (or an ATS export) with a name column.

use std::collections::BTreeMap;
use std::path::Path;

use crate::csv_input::Table;
use crate::error::{Error, Problem, Result};
use crate::limits::{self, Input, MAX_ROSTER};

/// One candidate of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Name printed on the documents.
    pub name: String,
    /// Email, if the roster has one.
    pub email: Option<String>,
    /// The applicant tracking system's id, if the roster has one.
    pub id: Option<String>,
}

impl Candidate {
    /// A candidate known only by name.
    ///
    /// Invisible direction marks are stripped and spaces trimmed as [`limits::clean_name`]
    /// does; a name it refuses is kept as given, for [`Kit::from_picks`](crate::kit::Kit::from_picks)
    /// to refuse with its reason before anything is written.
    pub fn named(name: &str) -> Candidate {
        Candidate {
            name: limits::clean_name(name).unwrap_or_else(|_| name.trim().to_owned()),
            email: None,
            id: None,
        }
    }

    /// The identity used by the history ledger: the id, else the email, else the name (case-folded).
    pub fn key(&self) -> String {
        match (&self.id, &self.email) {
            (Some(id), _) => format!("id:{id}"),
            (None, Some(email)) => format!("email:{}", email.to_lowercase()),
            (None, None) => format!("name:{}", self.name.to_lowercase()),
        }
    }
}

/// Reads the roster at `path`, refusing a file over the size limit before reading it.
pub fn load(path: &Path) -> Result<Vec<Candidate>> {
    let bytes = limits::read(path, Input::Roster)?;
    parse(&path.display().to_string(), &bytes)
}

/// Candidates given one by one on the command line (`--candidate`), held to the same rules
/// as a roster file: at most [`MAX_ROSTER`], and nobody twice.
pub fn from_names(names: &[String]) -> Result<Vec<Candidate>> {
    if names.len() > MAX_ROSTER {
        return Err(Error::Usage(format!(
            "{} --candidate flags is more than the {} a round may have; use a roster file (--candidates) and split the round",
            names.len(),
            limits::thousands(MAX_ROSTER)
        )));
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut candidates = Vec::with_capacity(names.len());
    for name in names {
        let candidate = Candidate::named(name);
        if let Some(first) = seen.insert(candidate.key(), name) {
            return Err(Error::Usage(format!(
                "--candidate `{}` is given twice (also as `{}`); each candidate gets one kit per round",
                limits::shown(name),
                limits::shown(first)
            )));
        }
        candidates.push(candidate);
    }
    Ok(candidates)
}

/// Header names accepted for the candidate's full name (any case, spaces and punctuation
/// ignored, see [`header_key`]).
pub const NAME_ALIASES: [&str; 6] = [
    "name",
    "full name",
    "candidate name",
    "candidate",
    "applicant name",
    "applicant",
];

/// Header names accepted for the first name, used with a last name when there is no full name.
pub const FIRST_NAME_ALIASES: [&str; 3] = ["first name", "given name", "forename"];

/// Header names accepted for the last name.
pub const LAST_NAME_ALIASES: [&str; 3] = ["last name", "surname", "family name"];

/// Header names accepted for the email.
pub const EMAIL_ALIASES: [&str; 5] = [
    "email",
    "email address",
    "candidate email",
    "candidate email address",
    "applicant email",
];

/// Header names accepted for the applicant tracking system's id.
pub const ID_ALIASES: [&str; 4] = ["id", "candidate id", "applicant id", "ats id"];

/// Where a roster's fields are: one column for the name, or a first and a last name.
enum NameColumns {
    Full(usize),
    Split { first: usize, last: usize },
}

/// Parses a roster: a header row naming the candidate's name (required), email and id
/// (optional), in any order; other columns are ignored. `file` names it in messages.
///
/// Files are read as spreadsheets save them ([`Table::read`]: BOM, CRLF, `,` `;` or tab).
/// Header names are case-, space- and punctuation-insensitive, and the usual names of ATS
/// exports are accepted ([`NAME_ALIASES`], [`EMAIL_ALIASES`], [`ID_ALIASES`]; without a
/// full-name column, [`FIRST_NAME_ALIASES`] + [`LAST_NAME_ALIASES`] joined by a space). Two
/// columns for the same field make the file ambiguous, an error listing the columns found.
///
/// Names are cleaned by [`limits::clean_name`] (invisible direction marks stripped; control,
/// line-separator and bidirectional override characters refused); a roster has at most
/// [`MAX_ROSTER`] candidates.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Candidate>> {
    limits::check_size(file, bytes.len() as u64, Input::Roster)?;
    let known: Vec<&str> = [
        &NAME_ALIASES[..],
        &FIRST_NAME_ALIASES,
        &LAST_NAME_ALIASES,
        &EMAIL_ALIASES,
        &ID_ALIASES,
    ]
    .concat();
    let table = Table::read(file, bytes, &known)?;
    if table.header.is_empty() {
        return Err(Error::invalid(
            file,
            None,
            "the roster is empty; its first row must name the columns, at least `name`",
        ));
    }
    let name_cols = name_columns(file, &table)?;
    // How messages name the name column(s): as the header spells them.
    let name_label = match name_cols {
        NameColumns::Full(col) => format!("column `{}`", limits::shown(&table.header[col])),
        NameColumns::Split { first, last } => format!(
            "columns `{}` and `{}`",
            limits::shown(&table.header[first]),
            limits::shown(&table.header[last])
        ),
    };
    let email_col = one_column(file, &table, "email", &EMAIL_ALIASES)?;
    let id_col = one_column(file, &table, "id", &ID_ALIASES)?;

    let mut candidates = Vec::new();
    let mut problems = Vec::new();
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    for record in &table.rows {
        let row = record.number;
        let cell = |col: Option<usize>| {
            col.map(|c| record.get(c).trim())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let raw_name = match name_cols {
            NameColumns::Full(col) => cell(Some(col)),
            NameColumns::Split { first, last } => {
                let parts: Vec<String> = [cell(Some(first)), cell(Some(last))]
                    .into_iter()
                    .flatten()
                    .collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            }
        };
        let Some(raw_name) = raw_name else {
            problems.push(Problem::at(
                file,
                Some(row),
                format!("{name_label}: the cell is empty; fill it in"),
            ));
            continue;
        };
        if candidates.len() == MAX_ROSTER {
            return Err(Error::invalid(
                file,
                Some(row),
                format!(
                    "the roster has more than {} candidates, the limit for one round (see Limits in the README); split it into several rounds (--history keeps them apart)",
                    limits::thousands(MAX_ROSTER)
                ),
            ));
        }
        let name = match limits::clean_name(&raw_name) {
            Ok(name) => name,
            Err(why) => {
                problems.push(Problem::at(
                    file,
                    Some(row),
                    format!("{name_label}: {why} (see Limits in the README)"),
                ));
                continue;
            }
        };
        let mut bad_cell = false;
        for (column, col) in [("email", email_col), ("id", id_col)] {
            if let Some(value) = cell(col)
                && let Some(why) = limits::name_problem(column, &value)
            {
                problems.push(Problem::at(file, Some(row), why));
                bad_cell = true;
            }
        }
        if bad_cell {
            continue;
        }
        let candidate = Candidate {
            name,
            email: cell(email_col),
            id: cell(id_col),
        };
        if let Some(first) = first_row.insert(candidate.key(), row) {
            problems.push(Problem::at(
                file,
                Some(row),
                format!(
                    "candidate `{}` is already on row {first}; remove one of the rows",
                    limits::shown(&candidate.name)
                ),
            ));
        }
        candidates.push(candidate);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    if candidates.is_empty() {
        return Err(Error::invalid(
            file,
            None,
            "the roster has no candidates; add one row per candidate under the header",
        ));
    }
    Ok(candidates)
}

/// The name column, or the first and last name columns; an error when there is none or
/// when two columns claim the name.
fn name_columns(file: &str, table: &Table) -> Result<NameColumns> {
    if let Some(col) = one_column(file, table, "name", &NAME_ALIASES)? {
        return Ok(NameColumns::Full(col));
    }
    let first = one_column(file, table, "first name", &FIRST_NAME_ALIASES)?;
    let last = one_column(file, table, "last name", &LAST_NAME_ALIASES)?;
    match (first, last) {
        (Some(first), Some(last)) => Ok(NameColumns::Split { first, last }),
        _ => Err(Error::invalid(
            file,
            Some(1),
            format!(
                "the header row has no column for the candidate's name; name one `name` (or `Full Name`, `Candidate Name`, or `First Name` and `Last Name`; see Rosters in the README). Columns found: {}",
                table.found()
            ),
        )),
    }
}

/// The one column whose header is one of `aliases` (the field `what`, for messages); an
/// error when several are.
fn one_column(file: &str, table: &Table, what: &str, aliases: &[&str]) -> Result<Option<usize>> {
    let mut columns: Vec<usize> = aliases.iter().flat_map(|a| table.columns(a)).collect();
    columns.sort_unstable();
    match columns.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|&c| format!("`{}`", limits::shown(&table.header[c])))
                .collect();
            Err(Error::invalid(
                file,
                Some(1),
                format!(
                    "the header row has {} columns for the {what} ({}); keep one, so it is clear which one counts. Columns found: {}",
                    many.len(),
                    names.join(", "),
                    table.found()
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_emails_and_ids_in_any_column_order() {
        let text = "\u{feff}Email,Name,id\r\nada@x.org,Ada Lovelace,7\r\n,Zoë,\r\n";
        let roster = parse("r.csv", text.as_bytes()).unwrap();
        assert_eq!(roster.len(), 2);
        assert_eq!(roster[0].email.as_deref(), Some("ada@x.org"));
        assert_eq!(roster[0].key(), "id:7");
        assert_eq!(roster[1].key(), "name:zoë");
        let marked = parse("r.csv", "name\nZoë\u{200f}\n".as_bytes()).unwrap();
        assert_eq!(marked[0].name, "Zoë");
    }

    #[test]
    fn a_roster_over_the_limit_is_refused() {
        let mut text = String::from("name\n");
        for i in 0..=MAX_ROSTER {
            text.push_str(&format!("C{i}\n"));
        }
        let err = parse("r.csv", text.as_bytes()).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "`r.csv` line {}: the roster has more than {} candidates",
                MAX_ROSTER + 2,
                limits::thousands(MAX_ROSTER)
            )),
            "{err}"
        );
    }

    #[test]
    fn problems_name_the_row() {
        let err = parse("r.csv", b"name,email\nAda,a@x\n,b@x\nAda,A@X\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`r.csv` line 3: column `name`: the cell is empty; fill it in\n`r.csv` line 4: candidate `Ada` is already on row 2; remove one of the rows"
        );
        let err = parse("r.csv", b"name\n").unwrap_err().to_string();
        assert!(err.contains("no candidates"), "{err}");
        let err = parse("r.csv", b"name\nAda\x1b[2J\nZo\xc3\xab\xe2\x80\x8f\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`r.csv` line 2: column `name`: the name contains the control character U+001B at character 4; remove it (see Limits in the README)"
        );
        let err = parse("r.csv", b"name\nA\n\xff\n").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "`r.csv` line 3: the file is not UTF-8 text (byte 0xFF, `\u{ff}` in Latin-1)"
            ),
            "{err}"
        );
    }

    #[test]
    fn ats_headers_are_recognised() {
        let roster = parse(
            "r.csv",
            b"Candidate ID;Full Name;Email Address;Stage\r\n42;Ada Lovelace;ada@x.org;Onsite\r\n",
        )
        .unwrap();
        assert_eq!(
            roster,
            [Candidate {
                name: "Ada Lovelace".into(),
                email: Some("ada@x.org".into()),
                id: Some("42".into()),
            }]
        );
        let roster = parse(
            "r.csv",
            b"first_name\tLAST NAME\te-mail\nAda\tLovelace\t\nPlato\t\t\n",
        )
        .unwrap();
        assert_eq!(roster[0].name, "Ada Lovelace");
        assert_eq!(roster[1].name, "Plato");
        // A full name wins over first and last name columns.
        let roster = parse("r.csv", b"First Name,Last Name,Candidate Name\nA,B,Ada B\n").unwrap();
        assert_eq!(roster[0].name, "Ada B");
        let roster = parse("r.csv", b"name;email\nAda;a@x\n").unwrap();
        assert_eq!(roster[0].email.as_deref(), Some("a@x"));
    }

    #[test]
    fn ambiguous_or_nameless_headers_list_the_columns() {
        let err = |text: &[u8]| parse("r.csv", text).unwrap_err().to_string();
        assert_eq!(
            err(b"Name,email,Full Name\nA,a,b\n"),
            "`r.csv` line 1: the header row has 2 columns for the name (`Name`, `Full Name`); keep one, so it is clear which one counts. Columns found: `Name`, `email`, `Full Name` (split at `,`; `,` `;` tab and `|` are recognised)"
        );
        assert_eq!(
            err(b"ID;Candidate ID;name\n1;2;A\n"),
            "`r.csv` line 1: the header row has 2 columns for the id (`ID`, `Candidate ID`); keep one, so it is clear which one counts. Columns found: `ID`, `Candidate ID`, `name` (split at `;`; `,` `;` tab and `|` are recognised)"
        );
        assert_eq!(
            err(b"First Name,Email\nA,a\n"),
            "`r.csv` line 1: the header row has no column for the candidate's name; name one `name` (or `Full Name`, `Candidate Name`, or `First Name` and `Last Name`; see Rosters in the README). Columns found: `First Name`, `Email` (split at `,`; `,` `;` tab and `|` are recognised)"
        );
    }
}
