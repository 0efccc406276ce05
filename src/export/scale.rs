//! The one rating scale: four rubric levels, the overall recommendation, and how each export target writes and reads them (`templates/scale.toml`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Problem, Result};

/// Number of rubric levels; the score of a level is its position plus one.
pub use crate::rubric::LEVELS;

/// The built-in scale file.
pub const BUILTIN: &str = include_str!("../../templates/scale.toml");

/// The rating scale and its mapping onto every export target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// The rubric levels, lowest first.
    pub levels: Vec<ScaleLevel>,
    /// Names of the four overall recommendations, lowest first.
    pub recommendation: Vec<String>,
    /// What the overall recommendation's row of a sheet asks.
    pub prompt: String,
    /// Every target by name.
    pub targets: BTreeMap<String, Target>,
}

/// One rubric level.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleLevel {
    /// 1 to 4.
    pub score: u8,
    /// Its name, e.g. "Proficient".
    pub label: String,
    /// What it stands for, in a few words.
    pub meaning: String,
}

/// One ATS rating scale and how the rubric levels map onto it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The target's key in the file, e.g. `greenhouse-rating`.
    pub key: String,
    /// Its human name, e.g. "Greenhouse attribute rating".
    pub name: String,
    /// Where the rating is given.
    pub used_for: String,
    /// The target's points, lowest first.
    pub points: Vec<String>,
    /// The point each level 1..4 is written as.
    pub write: Vec<String>,
    /// The level each point reads back as (keys compared ignoring case, spaces, `_` and `-`).
    pub read: Vec<(String, u8)>,
    /// Why a point missing from `read` is refused.
    pub refuse: Option<String>,
    /// What the mapping gives up, when the target has fewer points than levels.
    pub note: Option<String>,
}

impl Target {
    /// The target point for rubric score `score` (1..=4).
    pub fn write(&self, score: u8) -> &str {
        self.write
            .get(usize::from(score).saturating_sub(1))
            .map_or("", String::as_str)
    }

    /// The rubric score a filled-in cell stands for; `Ok(None)` for an empty cell. A number
    /// with decimals (`3.0`) reads as its whole number, as spreadsheets write them.
    pub fn read(&self, cell: &str) -> std::result::Result<Option<u8>, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        let wanted = normalise(cell);
        let whole = cell
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.fract() == 0.0 && v.abs() < 1e9)
            .map(|v| normalise(&(v as i64).to_string()));
        if let Some((_, level)) = self
            .read
            .iter()
            .find(|(key, _)| normalise(key) == wanted || Some(normalise(key)) == whole)
        {
            return Ok(Some(*level));
        }
        let known = self
            .points
            .iter()
            .filter(|p| self.read.iter().any(|(k, _)| normalise(k) == normalise(p)))
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let refused = self
            .points
            .iter()
            .any(|p| normalise(p) == wanted || Some(normalise(p)) == whole);
        match (&self.refuse, refused) {
            (Some(why), true) => Err(format!("`{cell}`: {why}")),
            _ => Err(format!(
                "`{cell}` is not a {}; write one of {known}, or leave the cell empty if the question was not asked",
                self.name
            )),
        }
    }
}

/// A label compared loosely: lowercase, without spaces, `_` and `-`.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    levels: Vec<ScaleLevel>,
    recommendation: RawRecommendation,
    targets: BTreeMap<String, RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecommendation {
    labels: Vec<String>,
    prompt: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: String,
    #[serde(rename = "for")]
    used_for: String,
    points: Vec<String>,
    write: Vec<String>,
    read: BTreeMap<String, u8>,
    #[serde(default)]
    refuse: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl Scale {
    /// The built-in scale.
    pub fn builtin() -> &'static Scale {
        static SCALE: std::sync::OnceLock<Scale> = std::sync::OnceLock::new();
        SCALE.get_or_init(|| {
            Scale::parse("templates/scale.toml", BUILTIN).expect("the built-in scale is valid")
        })
    }

    /// Reads a scale file, checking every mapping; every problem is reported with the target.
    pub fn parse(file: &str, text: &str) -> Result<Scale> {
        let raw: RawScale = toml::from_str(text).map_err(|e| Error::Invalid {
            problems: vec![crate::error::toml_problem(file, text, &e)],
        })?;
        let mut problems = Vec::new();
        let mut fail = |message: String| problems.push(Problem::at(file, None, message));
        let scores: Vec<u8> = raw.levels.iter().map(|l| l.score).collect();
        if scores != [1, 2, 3, 4] {
            fail(format!(
                "`[[levels]]` must be scores 1, 2, 3 and 4 in order, not {scores:?}"
            ));
        }
        if raw.recommendation.labels.len() != LEVELS {
            fail(format!(
                "`recommendation.labels` needs {LEVELS} labels, lowest first"
            ));
        }
        let mut targets = BTreeMap::new();
        for (key, t) in raw.targets {
            let mut bad = |why: String| fail(format!("target `{key}`: {why}"));
            if t.write.len() != LEVELS {
                bad(format!(
                    "`write` needs {LEVELS} points, one per rubric level, lowest first"
                ));
            }
            for point in &t.write {
                if !t.points.contains(point) {
                    bad(format!(
                        "`write` names `{point}`, which is not one of its `points`"
                    ));
                }
            }
            let mut distinct = t.write.clone();
            distinct.sort();
            distinct.dedup();
            if distinct.len() < t.write.len() && t.points.len() >= LEVELS {
                bad(format!(
                    "two levels share a point although the target has {} points; give each level its own",
                    t.points.len()
                ));
            }
            if distinct.len() < t.write.len() && t.note.is_none() {
                bad("two levels share a point; say so in `note`".into());
            }
            for (point, level) in &t.read {
                if !(1..=LEVELS as u8).contains(level) {
                    bad(format!(
                        "`read` maps `{point}` to {level}; levels are 1 to {LEVELS}"
                    ));
                }
            }
            let read = |p: &str| {
                t.read
                    .iter()
                    .find(|(k, _)| normalise(k) == normalise(p))
                    .map(|(_, l)| *l)
            };
            for (i, point) in t.write.iter().enumerate() {
                let level = i as u8 + 1;
                let shared = t.write.iter().filter(|p| *p == point).count() > 1;
                match read(point) {
                    Some(back) if back == level || shared => {}
                    Some(back) => bad(format!(
                        "level {level} is written as `{point}`, which reads back as {back}"
                    )),
                    None => bad(format!(
                        "level {level} is written as `{point}`, which `read` does not map"
                    )),
                }
            }
            let unread: Vec<&String> = t.points.iter().filter(|p| read(p).is_none()).collect();
            if !unread.is_empty() && t.refuse.is_none() {
                bad(format!(
                    "`read` does not map {unread:?}; map them or say why in `refuse`"
                ));
            }
            targets.insert(
                key.clone(),
                Target {
                    key,
                    name: t.name,
                    used_for: t.used_for,
                    points: t.points,
                    write: t.write,
                    read: t.read.into_iter().collect(),
                    refuse: t.refuse,
                    note: t.note,
                },
            );
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        Ok(Scale {
            levels: raw.levels,
            recommendation: raw.recommendation.labels,
            prompt: raw.recommendation.prompt,
            targets,
        })
    }

    /// The target `key`, or an error listing the targets there are.
    pub fn target(&self, key: &str) -> Result<&Target> {
        self.targets.get(key).ok_or_else(|| {
            Error::Usage(format!(
                "unknown rating scale `{key}`; the scales in `scale.toml` are {}",
                self.targets
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// The README table of every mapping: one row per target.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| target | used for |");
        for level in &self.levels {
            out.push_str(&format!(" {} {} |", level.score, level.label));
        }
        out.push_str(" reads back | notes |\n|---|---|");
        out.push_str(&"---|".repeat(self.levels.len()));
        out.push_str("---|---|\n");
        for t in self.targets.values() {
            out.push_str(&format!("| {} (`{}`) | {} |", t.name, t.key, t.used_for));
            for point in &t.write {
                out.push_str(&format!(" {point} |"));
            }
            let reads: Vec<String> = t
                .points
                .iter()
                .map(
                    |p| match t.read.iter().find(|(k, _)| normalise(k) == normalise(p)) {
                        Some((_, level)) => format!("{p} → {level}"),
                        None => format!("{p} → refused"),
                    },
                )
                .collect();
            out.push_str(&format!(
                " {} | {} |\n",
                reads.join("; "),
                t.note.as_deref().unwrap_or("")
            ));
        }
        out
    }
}
