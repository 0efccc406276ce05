//! Rosters: the candidates of a hiring round, read from a CSV file with a `name` column.

use std::collections::BTreeMap;

use crate::error::{Error, Problem, Result};

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
    pub fn named(name: &str) -> Candidate {
        Candidate {
            name: name.trim().to_owned(),
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

/// Parses a roster: a header row with `name` (required), `email` and `id` (optional, any order,
/// any case; other columns are ignored), then one candidate per row. `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Candidate>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let row = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::invalid(
            file,
            Some(row),
            "the roster is not UTF-8 text; save it as CSV UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
        let Some(name) = cell(Some(name_col)) else {
            if record.iter().any(|c| !c.trim().is_empty()) {
                problems.push(Problem::at(
                    file,
                    Some(row),
                    "the `name` cell is empty; fill it in",
                ));
            }
            continue;
        };
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
                    candidate.name
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
        let err = parse("r.csv", b"name\nA\n\xff\n").unwrap_err().to_string();
        assert!(
            err.starts_with("`r.csv` line 3: the roster is not UTF-8"),
            "{err}"
        );
    }
}
