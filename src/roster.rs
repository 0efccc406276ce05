//! Rosters: the candidates of a hiring round, read from a CSV file with a `name` column.

use std::collections::BTreeMap;
use std::path::Path;

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

/// Parses a roster: a header row with `name` (required), `email` and `id` (optional, any order,
/// any case; other columns are ignored), then one candidate per row. `file` names it in messages.
///
/// Names are cleaned by [`limits::clean_name`] (invisible direction marks stripped; control,
/// line-separator and bidirectional override characters refused); a roster has at most
/// [`MAX_ROSTER`] candidates, and a column named twice in the header is an error.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Candidate>> {
    limits::check_size(file, bytes.len() as u64, Input::Roster)?;
    let text = limits::decode(file, bytes)?;
    if text.trim().is_empty() {
        return Err(Error::invalid(
            file,
            None,
            "the roster is empty; its first row must name the columns, at least `name`",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid(file, Some(1), format!("cannot read the header row: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    for name in ["name", "email", "id"] {
        let named = headers
            .iter()
            .filter(|h| h.trim().eq_ignore_ascii_case(name))
            .count();
        if named > 1 {
            return Err(Error::invalid(
                file,
                Some(1),
                format!(
                    "the header row has {named} `{name}` columns; keep one, so it is clear which one counts"
                ),
            ));
        }
    }
    let name_col = column("name").ok_or_else(|| {
        Error::invalid(
            file,
            Some(1),
            "the header row has no `name` column; add one (`email` and `id` are optional)",
        )
    })?;
    let (email_col, id_col) = (column("email"), column("id"));

    let mut candidates = Vec::new();
    let mut problems = Vec::new();
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(Problem::at(
                    file,
                    Some(row),
                    format!("cannot read the row: {e}"),
                ));
                continue;
            }
        };
        let cell = |col: Option<usize>| {
            col.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let Some(raw_name) = cell(Some(name_col)) else {
            if record.iter().any(|c| !c.trim().is_empty()) {
                problems.push(Problem::at(
                    file,
                    Some(row),
                    "the `name` cell is empty; fill it in",
                ));
            }
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
                    format!("column `name`: {why} (see Limits in the README)"),
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
            "`r.csv` line 3: the `name` cell is empty; fill it in\n`r.csv` line 4: candidate `Ada` is already on row 2; remove one of the rows"
        );
        let err = parse("r.csv", b"email\nx\n").unwrap_err().to_string();
        assert!(err.contains("no `name` column"), "{err}");
        let err = parse("r.csv", b"name\n").unwrap_err().to_string();
        assert!(err.contains("no candidates"), "{err}");
        let err = parse("r.csv", b"Name,email,NAME\nA,a,b\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`r.csv` line 1: the header row has 2 `name` columns; keep one, so it is clear which one counts"
        );
        let err = parse("r.csv", b"name\nAda\x1b[2J\nZo\xc3\xab\xe2\x80\x8f\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`r.csv` line 2: column `name`: the name contains the control character U+001B at character 4; remove it (see Limits in the README)"
        );
        let err = parse("r.csv", b"name\nA\n\xff\n").unwrap_err().to_string();
        assert!(
            err.starts_with("`r.csv` line 3: the file is not valid UTF-8 text (byte 0xFF)"),
            "{err}"
        );
    }
}
