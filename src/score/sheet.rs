//! Filled-in scorecards: read as a spreadsheet saves them (BOM, `,` or `;`, CRLF) and checked against their kit.

use std::collections::BTreeSet;

use crate::csv_input::Table;
use crate::error::{Error, Problem, Result};
use crate::kit::{Kit, KitCode};
use crate::rubric::LEVELS;

use super::Rating;
use crate::export::Profiles;
use crate::export::profile::{GENERIC, OVERALL, Profile};
use crate::export::scale::Target;

/// Columns a filled-in scorecard must keep.
const REQUIRED: [&str; 3] = ["kit_code", "question_id", "score"];

/// A filled-in scorecard, read but not yet checked against its kit.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The file, as named in messages.
    pub file: String,
    kit_code: usize,
    question_id: usize,
    score: usize,
    interviewer: Option<usize>,
    /// How a question's rating cell reads back; `None` for the generic scorecard, whose
    /// cells are rubric scores.
    question_scale: Option<Target>,
    /// How the overall recommendation's cell reads back.
    overall_scale: Option<Target>,
    rows: Vec<(usize, Vec<String>)>,
}

/// The export profiles that can be read back, the generic scorecard first.
fn readable_profiles(profiles: &Profiles) -> Vec<&Profile> {
    let mut names = profiles.names();
    names.sort_by_key(|n| (*n != GENERIC, *n));
    names
        .into_iter()
        .filter_map(|n| profiles.get(n).ok())
        .filter(|p| p.read.is_some())
        .collect()
}

impl Sheet {
    /// Whether the sheet names its interviewers in an `interviewer` column.
    pub fn has_interviewer_column(&self) -> bool {
        self.interviewer.is_some()
    }

    /// Reads a scorecard; `file` names it in messages.
    ///
    /// The file is read as spreadsheets save it ([`Table::read`]: BOM, CRLF, the delimiter
    /// `,` `;` tab or `|` found from the header; Excel saves with `;` where the decimal mark
    /// is a comma). Rows are numbered as a spreadsheet shows them: the header is row 1.
    /// Empty rows (spreadsheets leave them at the end) are skipped. The generic scorecard's
    /// columns are looked for first, then each profile's `[read]` columns of `profiles`,
    /// whose ratings read back through that profile's scale.
    pub fn parse(file: &str, bytes: &[u8], profiles: &Profiles) -> Result<Sheet> {
        let profiles = readable_profiles(profiles);
        let mut known: Vec<&str> = REQUIRED.iter().copied().chain(["interviewer"]).collect();
        for read in profiles.iter().filter_map(|p| p.read.as_ref()) {
            known.extend([
                read.kit_code.as_str(),
                read.question_id.as_str(),
                read.score.as_str(),
            ]);
        }
        let table = Table::read(file, bytes, &known)?;
        if table.header.is_empty() {
            return Err(Error::invalid(
                file,
                None,
                "the file is empty; score the `scorecard.csv` that `generate` wrote",
            ));
        }
        let find = |name: &str| table.column(name);
        // The generic scorecard's columns, else an ATS profile's (e.g. `greenhouse.csv`).
        let shape = profiles.iter().find_map(|p| {
            let read = p.read.as_ref()?;
            Some((
                *p,
                find(&read.kit_code)?,
                find(&read.question_id)?,
                find(&read.score)?,
                read.interviewer.as_deref().and_then(find),
            ))
        });
        let Some((profile, kit_code, question_id, score, interviewer)) = shape else {
            let missing: Vec<Problem> = REQUIRED
                .iter()
                .filter(|name| find(name).is_none())
                .map(|name| {
                    Problem::at(
                        file,
                        None,
                        format!(
                            "row 1: missing column `{name}`; a scorecard needs the columns `kit_code`, `question_id` and `score` that `generate` wrote"
                        ),
                    )
                })
                .collect();
            return Err(Error::Invalid { problems: missing });
        };
        let interviewer = interviewer.or_else(|| find("interviewer"));
        let generic = profile.name == GENERIC;
        Ok(Sheet {
            file: file.to_owned(),
            kit_code,
            question_id,
            score,
            interviewer,
            question_scale: (!generic).then(|| profile.scale.question.clone()),
            overall_scale: profile.scale.overall.clone(),
            rows: table
                .rows
                .into_iter()
                .map(|row| (row.number, row.cells))
                .collect(),
        })
    }

    /// The kit code of the first row, the kit the file is checked against.
    pub fn kit_code(&self) -> Option<&str> {
        self.rows
            .iter()
            .map(|(_, cells)| cell(cells, self.kit_code))
            .find(|code| !code.is_empty())
    }

    /// The row holding the kit code [`Sheet::kit_code`] returns, and its place, for messages.
    pub fn kit_code_place(&self) -> String {
        let row = self
            .rows
            .iter()
            .find(|(_, cells)| !cell(cells, self.kit_code).is_empty())
            .map_or(2, |(row, _)| *row);
        place(row, "kit_code", self.kit_code)
    }

    /// Checks every row against `kit` (found at `kit_source`, for messages) and returns
    /// one rating per row, or every problem of the file at once.
    ///
    /// Without an `interviewer` column, the whole file is one interviewer, `interviewer`
    /// (the caller names them after the file).
    pub fn check(&self, kit: &Kit, kit_source: &str, interviewer: &str) -> Result<Vec<Rating>> {
        let default_interviewer = interviewer;
        let ids: BTreeSet<&str> = kit
            .questions
            .iter()
            .map(|q| q.question.id.as_str())
            .collect();
        let mut problems = Vec::new();
        let mut ratings = Vec::new();
        for (row, cells) in &self.rows {
            let mut fail = |message: String| problems.push(Problem::at(&self.file, None, message));
            let mut ok = true;
            let code = cell(cells, self.kit_code);
            if !same_code(code, &kit.kit_code) {
                ok = false;
                fail(format!(
                    "{}: kit code `{code}` does not match kit `{}` ({kit_source}); the file mixes kits or was edited, keep one kit per file",
                    place(*row, "kit_code", self.kit_code),
                    kit.kit_code
                ));
            }
            let id = cell(cells, self.question_id);
            let overall = id.eq_ignore_ascii_case(OVERALL);
            if !overall && !ids.contains(id) {
                ok = false;
                fail(format!(
                    "{}: question `{id}` is not in kit `{}`; the row was edited or comes from another kit",
                    place(*row, "question_id", self.question_id),
                    kit.kit_code
                ));
            }
            let interviewer = match self.interviewer {
                None => default_interviewer.to_owned(),
                Some(column) => {
                    let name = cell(cells, column);
                    if name.is_empty() {
                        ok = false;
                        fail(format!(
                            "{}: the cell is empty; write who scored this row",
                            place(*row, "interviewer", column)
                        ));
                    }
                    name.to_owned()
                }
            };
            let scale = if overall {
                self.overall_scale.as_ref()
            } else {
                self.question_scale.as_ref()
            };
            let text = cell(cells, self.score);
            let read = match scale {
                Some(target) => target.read(text),
                None => read_score(text),
            };
            let score = match read {
                Ok(score) => score,
                Err(why) => {
                    ok = false;
                    fail(format!("{}: {why}", place(*row, "score", self.score)));
                    None
                }
            };
            if ok {
                ratings.push(Rating {
                    kit_code: kit.kit_code.clone(),
                    interviewer,
                    question_id: if overall {
                        OVERALL.to_owned()
                    } else {
                        id.to_owned()
                    },
                    score,
                    overall,
                    file: self.file.clone(),
                    row: *row,
                    score_place: place(*row, "score", self.score),
                    question_place: place(*row, "question_id", self.question_id),
                });
            }
        }
        if problems.is_empty() {
            Ok(ratings)
        } else {
            Err(Error::Invalid { problems })
        }
    }
}

/// A cell, trimmed; a short row's missing cells read as empty.
fn cell(cells: &[String], column: usize) -> &str {
    cells.get(column).map_or("", |c| c.trim())
}

/// `row 3, column `score` (N)`: the row as a spreadsheet numbers it and the column by its
/// header and its spreadsheet letter.
pub(crate) fn place(row: usize, name: &str, column: usize) -> String {
    format!("row {row}, column `{name}` ({})", column_letter(column))
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A score cell: empty means not asked; otherwise a whole number on the rubric scale.
/// `3.0` is accepted because spreadsheets like to add decimals to numbers.
fn read_score(text: &str) -> std::result::Result<Option<u8>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let number = text
        .parse::<i64>()
        .ok()
        .or_else(|| {
            let value: f64 = text.replace(',', ".").parse().ok()?;
            (value.fract() == 0.0 && value.abs() < 1e9).then_some(value as i64)
        })
        .ok_or_else(|| {
            format!(
                "`{text}` is not a score; write a whole number from 1 to {LEVELS}, or leave the cell empty if the question was not asked"
            )
        })?;
    match u8::try_from(number) {
        Ok(score) if (1..=LEVELS as u8).contains(&score) => Ok(Some(score)),
        _ => Err(format!(
            "score `{text}` is outside the rubric scale 1 to {LEVELS}; write a whole number from 1 to {LEVELS}, or leave the cell empty if the question was not asked"
        )),
    }
}

/// Whether two kit codes name the same kit: codes are case-insensitive and forgive the
/// look-alikes `I`, `L` and `O`, as people retype them.
pub(crate) fn same_code(a: &str, b: &str) -> bool {
    match (KitCode::parse(a), KitCode::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a.eq_ignore_ascii_case(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_encodings_other_than_utf8_are_named() {
        let err = Sheet::parse("s.csv", b"\xFF\xFEk\x00", Profiles::builtin())
            .unwrap_err()
            .to_string();
        assert!(err.contains("UTF-16"), "{err}");
        let err = Sheet::parse(
            "s.csv",
            b"kit_code,question_id,score\nJos\xE9,x,1\n",
            Profiles::builtin(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("`s.csv` line 2: the file is not UTF-8 text (byte 0xE9"),
            "{err}"
        );
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(13), "N");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn scores() {
        assert_eq!(read_score(""), Ok(None));
        assert_eq!(read_score("3"), Ok(Some(3)));
        assert_eq!(read_score("4.0"), Ok(Some(4)));
        assert_eq!(read_score("2,0"), Ok(Some(2)));
        assert!(
            read_score("5")
                .unwrap_err()
                .contains("outside the rubric scale")
        );
        assert!(
            read_score("0")
                .unwrap_err()
                .contains("outside the rubric scale")
        );
        assert!(
            read_score("-1")
                .unwrap_err()
                .contains("outside the rubric scale")
        );
        assert!(read_score("2.5").unwrap_err().contains("is not a score"));
        assert!(read_score("good").unwrap_err().contains("is not a score"));
    }
}
