//! The scorecard CSV: one row per question, safe to open in a spreadsheet.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::kit::Kit;

/// Renders the scorecard: kit code, candidate, question, rubric descriptors, empty score and notes.
pub fn scorecard_csv(kit: &Kit) -> Result<Vec<u8>> {
    let mut header: Vec<String> = [
        "kit_code",
        "candidate",
        "number",
        "question_id",
        "topic",
        "level",
        "minutes",
        "prompt",
        "purpose",
    ]
    .map(String::from)
    .to_vec();
    let levels = kit
        .questions
        .first()
        .map(|q| q.rubric.levels.as_slice())
        .unwrap_or_default();
    header.extend(levels.iter().map(|l| {
        format!(
            "rubric_{}_{}",
            l.score,
            slug::slugify(&l.label).replace('-', "_")
        )
    }));
    header.extend(["score".to_owned(), "notes".to_owned()]);

    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Render {
        document: "scorecard.csv".into(),
        message: e.to_string(),
    };
    writer.write_record(&header).map_err(fail)?;
    for item in &kit.questions {
        let q = &item.question;
        let mut row: Vec<String> = vec![
            kit.kit_code.clone(),
            kit.candidate.clone(),
            item.number.to_string(),
            q.id.clone(),
            q.topic.clone(),
            q.level.to_string(),
            q.minutes.to_string(),
            q.prompt.trim().to_owned(),
            q.purpose.trim().to_owned(),
        ];
        row.extend(item.rubric.levels.iter().map(|l| l.descriptor.clone()));
        row.extend([String::new(), String::new()]);
        writer
            .write_record(row.iter().map(|cell| guard_formula(cell).into_owned()))
            .map_err(fail)?;
    }
    writer.into_inner().map_err(|e| Error::Render {
        document: "scorecard.csv".into(),
        message: e.to_string(),
    })
}

/// Prefixes `'` to a cell a spreadsheet would run as a formula (OWASP CSV injection).
///
/// Cells starting with `=`, `+`, `-`, `@`, tab, carriage return or line feed are neutralised;
/// everything else passes through unchanged.
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "\nx",
        ] {
            assert_eq!(guard_formula(hostile), format!("'{hostile}"));
        }
        assert_eq!(guard_formula("José"), "José");
        assert_eq!(guard_formula(""), "");
    }
}
