//! `round.csv`: one row per candidate of a round with the paths of their documents.

use crate::error::Result;

use super::csv::CsvOptions;

/// One candidate's line of the round sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRow<'a> {
    /// The kit's code.
    pub kit_code: &'a str,
    /// Candidate's name.
    pub candidate: &'a str,
    /// Candidate's email, empty when the roster has none.
    pub email: &'a str,
    /// The kit's folder, relative to the round sheet.
    pub folder: &'a str,
    /// File names in the kit folder, in the order the kit was written.
    pub documents: Vec<&'a str>,
}

/// Renders the round sheet: `kit_code, candidate, email, folder`, then one column per
/// document (headed by its file name) holding its path relative to the sheet, with `/`
/// separators so the sheet stays valid wherever the round's folder is moved or shared.
pub fn round_csv(rows: &[RoundRow<'_>], options: &CsvOptions) -> Result<Vec<u8>> {
    let documents: Vec<&str> = rows
        .first()
        .map(|r| r.documents.clone())
        .unwrap_or_default();
    let mut writer = options.writer("round.csv");
    let mut header = vec!["kit_code", "candidate", "email", "folder"];
    header.extend(&documents);
    writer.row(header)?;
    for row in rows {
        let mut cells = vec![
            row.kit_code.to_owned(),
            row.candidate.to_owned(),
            row.email.to_owned(),
            row.folder.to_owned(),
        ];
        // Every kit of a round has the same files; look each up by name all the same, so
        // a row can never put one kit's path under another file's header.
        cells.extend(documents.iter().map(|name| {
            if row.documents.contains(name) {
                format!("{}/{name}", row.folder)
            } else {
                String::new()
            }
        }));
        writer.row(cells)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_candidate_with_relative_paths() {
        let rows = [
            RoundRow {
                kit_code: "PY1-7-0-AAAAAAA",
                candidate: "Ada, \"the first\"",
                email: "ada@example.org",
                folder: "PY1-7-0-AAAAAAA-ada",
                documents: vec!["interviewer.pdf", "kit.json"],
            },
            RoundRow {
                kit_code: "PY1-7-1-BBBBBBB",
                candidate: "=Grace",
                email: "",
                folder: "PY1-7-1-BBBBBBB-grace",
                documents: vec!["interviewer.pdf", "kit.json"],
            },
        ];
        let bytes = round_csv(&rows, &CsvOptions::plain()).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "kit_code,candidate,email,folder,interviewer.pdf,kit.json\n\
             PY1-7-0-AAAAAAA,\"Ada, \"\"the first\"\"\",ada@example.org,PY1-7-0-AAAAAAA-ada,PY1-7-0-AAAAAAA-ada/interviewer.pdf,PY1-7-0-AAAAAAA-ada/kit.json\n\
             PY1-7-1-BBBBBBB,'=Grace,,PY1-7-1-BBBBBBB-grace,PY1-7-1-BBBBBBB-grace/interviewer.pdf,PY1-7-1-BBBBBBB-grace/kit.json\n"
        );
    }
}
