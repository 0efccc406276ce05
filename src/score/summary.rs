//! The round's arithmetic — question, topic and weighted totals, agreement, ranking — and its two reports.
//!
//! Formulas (the README repeats them):
//!
//! * question score `s_q` = mean of the interviewers' scores for q (1 to 4); a question no
//!   one scored has none and counts as not asked, never as zero;
//! * topic score `T_t` = mean of `s_q` over the scored questions of topic t;
//! * total = `Σ_t w_t·T_t / Σ_t w_t` over the topics with a score, `w_t` the blueprint's
//!   question count for t, so every topic weighs what the blueprint gave it even when
//!   some of its questions were not asked;
//! * percent = `(total − 1) / 3 × 100`, the total's place between the lowest and the
//!   highest rubric level;
//! * completion = questions with at least one score / questions in the kit.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::Result;
use crate::export::CsvOptions;
use crate::rubric::LEVELS;

use super::Scored;
use super::agreement::{mean_absolute_difference, weighted_kappa};

/// A difference of this many rubric levels between two interviewers is a disagreement.
pub const DISAGREEMENT: u8 = 2;

/// The scored round, candidates ranked best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// One entry per kit, ranked.
    pub candidates: Vec<CandidateSummary>,
    /// Every topic of the round: id → title.
    pub topics: BTreeMap<String, String>,
    /// Missing scores and rows, as reported to the user.
    pub notes: Vec<String>,
}

/// One candidate's result.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateSummary {
    /// Place in the round, 1 first; equal totals and completion share a place.
    pub rank: usize,
    /// The kit's code.
    pub kit_code: String,
    /// The candidate.
    pub candidate: String,
    /// Who scored the kit, sorted.
    pub interviewers: Vec<String>,
    /// Every question of the kit, in kit order.
    pub questions: Vec<QuestionScore>,
    /// Per topic id.
    pub topics: BTreeMap<String, TopicScore>,
    /// Weighted total on the rubric scale (1 to 4); `None` when nothing was scored.
    pub total: Option<f64>,
    /// Agreement of each pair of interviewers, in name order.
    pub pairs: Vec<Pair>,
    /// Each interviewer's overall recommendation (1 to 4), recorded apart from the scores
    /// and never part of the total.
    pub recommendations: BTreeMap<String, u8>,
}

/// One question's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionScore {
    /// Position in the kit.
    pub number: usize,
    /// Question id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// Score by interviewer (those who scored it).
    pub scores: BTreeMap<String, u8>,
    /// Mean of `scores`; `None` when no one scored it.
    pub mean: Option<f64>,
}

/// One topic's score.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScore {
    /// The blueprint's question count for the topic, its weight in the total.
    pub weight: u32,
    /// Questions of the topic in the kit.
    pub questions: usize,
    /// Of those, how many someone scored.
    pub scored: usize,
    /// Mean question score; `None` when none was scored.
    pub mean: Option<f64>,
}

/// How two interviewers of one kit agree.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// First interviewer (in name order).
    pub first: String,
    /// Second interviewer.
    pub second: String,
    /// Questions both scored.
    pub shared: usize,
    /// Mean absolute difference over those questions.
    pub mad: Option<f64>,
    /// Quadratic-weighted Cohen's kappa over those questions.
    pub kappa: Option<f64>,
}

impl QuestionScore {
    /// Highest minus lowest score given; 0 with fewer than two scores.
    pub fn spread(&self) -> u8 {
        let high = self.scores.values().max().copied().unwrap_or(0);
        let low = self.scores.values().min().copied().unwrap_or(0);
        high - low
    }
}

impl CandidateSummary {
    /// Questions at least one interviewer scored.
    pub fn scored(&self) -> usize {
        self.questions.iter().filter(|q| q.mean.is_some()).count()
    }

    /// Share of the kit's questions that were scored, 0 to 1.
    pub fn completion(&self) -> f64 {
        if self.questions.is_empty() {
            return 0.0;
        }
        self.scored() as f64 / self.questions.len() as f64
    }

    /// The total as a percentage of the rubric's range: `(total − 1) / 3 × 100`.
    pub fn percent(&self) -> Option<f64> {
        let top = LEVELS as f64;
        self.total.map(|t| (t - 1.0) / (top - 1.0) * 100.0)
    }

    /// Questions two interviewers scored [`DISAGREEMENT`] or more levels apart.
    pub fn disagreements(&self) -> impl Iterator<Item = &QuestionScore> {
        self.questions.iter().filter(|q| q.spread() >= DISAGREEMENT)
    }

    /// Mean absolute difference averaged over the pairs that have one.
    pub fn mean_mad(&self) -> Option<f64> {
        mean(self.pairs.iter().filter_map(|p| p.mad))
    }

    /// Kappa averaged over the pairs where it is defined.
    pub fn mean_kappa(&self) -> Option<f64> {
        mean(self.pairs.iter().filter_map(|p| p.kappa))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Scores every kit and ranks the round: highest total first, then highest completion,
/// then kit code; a kit with no score at all comes last.
pub fn summarize(scored: &[Scored], notes: Vec<String>) -> Summary {
    let mut topics = BTreeMap::new();
    let mut candidates: Vec<CandidateSummary> = scored
        .iter()
        .map(|s| {
            for topic in s.kit.topic_weights.keys() {
                let title = s.kit.topic_titles.get(topic).unwrap_or(topic);
                topics.insert(topic.clone(), title.clone());
            }
            candidate(s)
        })
        .collect();
    candidates.sort_by(|a, b| {
        let total = |c: &CandidateSummary| c.total.unwrap_or(f64::NEG_INFINITY);
        total(b)
            .total_cmp(&total(a))
            .then(b.completion().total_cmp(&a.completion()))
            .then_with(|| a.kit_code.cmp(&b.kit_code))
    });
    let mut previous: Option<(Option<f64>, f64, usize)> = None;
    for (i, c) in candidates.iter_mut().enumerate() {
        let key = (c.total, c.completion());
        c.rank = match previous {
            Some((total, completion, rank)) if (total, completion) == key => rank,
            _ => i + 1,
        };
        previous = Some((key.0, key.1, c.rank));
    }
    Summary {
        candidates,
        topics,
        notes,
    }
}

fn candidate(s: &Scored) -> CandidateSummary {
    let interviewers: Vec<String> = s.scores.keys().cloned().collect();
    let questions: Vec<QuestionScore> = s
        .kit
        .questions
        .iter()
        .map(|(number, id, topic)| {
            let scores: BTreeMap<String, u8> = s
                .scores
                .iter()
                .filter_map(|(who, by_q)| Some((who.clone(), (*by_q.get(id)?)?)))
                .collect();
            QuestionScore {
                number: *number,
                id: id.clone(),
                topic: topic.clone(),
                mean: mean(scores.values().map(|&v| f64::from(v))),
                scores,
            }
        })
        .collect();
    let mut topics = BTreeMap::new();
    for (topic, &weight) in &s.kit.topic_weights {
        let of_topic: Vec<&QuestionScore> =
            questions.iter().filter(|q| &q.topic == topic).collect();
        topics.insert(
            topic.clone(),
            TopicScore {
                weight,
                questions: of_topic.len(),
                scored: of_topic.iter().filter(|q| q.mean.is_some()).count(),
                mean: mean(of_topic.iter().filter_map(|q| q.mean)),
            },
        );
    }
    let (weighted, weights) = topics
        .values()
        .filter_map(|t| Some((t.mean?, f64::from(t.weight))))
        .fold((0.0, 0.0), |(s, w), (m, weight)| {
            (s + m * weight, w + weight)
        });
    let total = (weights > 0.0).then(|| weighted / weights);
    let mut pairs = Vec::new();
    for (i, first) in interviewers.iter().enumerate() {
        for second in &interviewers[i + 1..] {
            let shared: Vec<(u8, u8)> = questions
                .iter()
                .filter_map(|q| Some((*q.scores.get(first)?, *q.scores.get(second)?)))
                .collect();
            pairs.push(Pair {
                first: first.clone(),
                second: second.clone(),
                shared: shared.len(),
                mad: mean_absolute_difference(&shared),
                kappa: weighted_kappa(&shared),
            });
        }
    }
    CandidateSummary {
        rank: 0,
        kit_code: s.kit.kit_code.clone(),
        candidate: s.kit.candidate.clone(),
        interviewers,
        questions,
        topics,
        total,
        pairs,
        recommendations: s.recommendations.clone(),
    }
}

fn fixed(value: Option<f64>, places: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.places$}"))
}

/// `summary.csv`: one row per candidate in rank order. Topic columns are `topic_<id>`
/// (the topic's mean score); with more than two interviewers `mad` and `kappa` are the
/// means over all pairs; `disagreements` lists the question ids, space-separated.
pub fn summary_csv(summary: &Summary, options: &CsvOptions) -> Result<Vec<u8>> {
    let mut writer = options.writer("summary.csv");
    let mut header: Vec<String> = [
        "rank",
        "kit_code",
        "candidate",
        "total",
        "percent",
        "scored",
        "questions",
        "completion_percent",
        "interviewers",
    ]
    .map(String::from)
    .to_vec();
    header.extend(summary.topics.keys().map(|t| format!("topic_{t}")));
    header.extend(["mad", "kappa", "disagreements", "recommendations"].map(String::from));
    writer.row(&header)?;
    for c in &summary.candidates {
        let mut row = vec![
            c.rank.to_string(),
            c.kit_code.clone(),
            c.candidate.clone(),
            fixed(c.total, 2),
            fixed(c.percent(), 1),
            c.scored().to_string(),
            c.questions.len().to_string(),
            format!("{:.1}", c.completion() * 100.0),
            c.interviewers.join("; "),
        ];
        row.extend(
            summary
                .topics
                .keys()
                .map(|t| fixed(c.topics.get(t).and_then(|s| s.mean), 2)),
        );
        row.push(fixed(c.mean_mad(), 2));
        row.push(fixed(c.mean_kappa(), 2));
        row.push(
            c.disagreements()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        row.push(recommendations(c));
        writer.row(&row)?;
    }
    writer.finish()
}

/// The overall recommendations as `Ann: 3; Bob: 2`, in interviewer order.
fn recommendations(c: &CandidateSummary) -> String {
    c.recommendations
        .iter()
        .map(|(who, score)| format!("{who}: {score}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A Markdown table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `summary.md`: the ranking, then per candidate the topics, the agreement of the
/// interviewers and the questions they disagree on, then the missing scores and the formulas.
pub fn summary_md(summary: &Summary) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Round summary\n");
    let _ = writeln!(
        md,
        "{} candidate(s), ranked by weighted total on the rubric scale (1 to {LEVELS}).\n",
        summary.candidates.len()
    );
    let _ = writeln!(
        md,
        "| Rank | Candidate | Kit | Total | % | Scored | Interviewers | MAD | κ | Disagreements |"
    );
    let _ = writeln!(md, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for c in &summary.candidates {
        let _ = writeln!(
            md,
            "| {} | {} | `{}` | {} | {} | {}/{} | {} | {} | {} | {} |",
            c.rank,
            cell(&c.candidate),
            c.kit_code,
            or_dash(fixed(c.total, 2)),
            or_dash(fixed(c.percent(), 1)),
            c.scored(),
            c.questions.len(),
            c.interviewers.len(),
            or_dash(fixed(c.mean_mad(), 2)),
            or_dash(fixed(c.mean_kappa(), 2)),
            c.disagreements().count()
        );
    }
    for c in &summary.candidates {
        let _ = writeln!(
            md,
            "\n## {}. {} — kit `{}`\n",
            c.rank,
            cell(&c.candidate),
            c.kit_code
        );
        let _ = writeln!(
            md,
            "Total {} ({} %), {} of {} questions scored, by {}.\n",
            or_dash(fixed(c.total, 2)),
            or_dash(fixed(c.percent(), 1)),
            c.scored(),
            c.questions.len(),
            c.interviewers
                .iter()
                .map(|i| format!("`{}`", cell(i)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !c.recommendations.is_empty() {
            let names = &crate::export::scale::Scale::builtin().recommendation;
            let _ = writeln!(
                md,
                "Overall recommendation (apart from the total): {}.\n",
                c.recommendations
                    .iter()
                    .map(|(who, score)| {
                        let name = names
                            .get(usize::from(*score).saturating_sub(1))
                            .map_or("", String::as_str);
                        format!("`{}` {score} {name}", cell(who))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(md, "| Topic | Weight | Scored | Mean |");
        let _ = writeln!(md, "|---|---:|---:|---:|");
        for (topic, t) in &c.topics {
            let title = summary.topics.get(topic).unwrap_or(topic);
            let _ = writeln!(
                md,
                "| {} | {} | {}/{} | {} |",
                cell(title),
                t.weight,
                t.scored,
                t.questions,
                or_dash(fixed(t.mean, 2))
            );
        }
        if !c.pairs.is_empty() {
            let _ = writeln!(md, "\nAgreement:\n");
            for p in &c.pairs {
                let _ = writeln!(
                    md,
                    "- `{}` and `{}`: {} question(s) scored by both, mean absolute difference {}, weighted kappa {}",
                    cell(&p.first),
                    cell(&p.second),
                    p.shared,
                    or(fixed(p.mad, 2), "n/a"),
                    if p.shared == 0 {
                        "n/a".to_owned()
                    } else {
                        or(
                            fixed(p.kappa, 2),
                            "n/a (both gave every question the same level)",
                        )
                    }
                );
            }
        }
        let disagreements: Vec<&QuestionScore> = c.disagreements().collect();
        if !disagreements.is_empty() {
            let _ = writeln!(
                md,
                "\nDisagreements ({DISAGREEMENT} levels or more apart) — talk these through:\n"
            );
            for q in disagreements {
                let scores: Vec<String> = q
                    .scores
                    .iter()
                    .map(|(who, s)| format!("`{}` {s}", cell(who)))
                    .collect();
                let _ = writeln!(
                    md,
                    "- question {} `{}`: {}",
                    q.number,
                    q.id,
                    scores.join(", ")
                );
            }
        }
    }
    if !summary.notes.is_empty() {
        let _ = writeln!(md, "\n## Missing scores\n");
        for note in &summary.notes {
            let _ = writeln!(md, "- {}", cell(note));
        }
    }
    let _ = writeln!(
        md,
        "\n## How the numbers are computed\n\n\
         - Question score: the mean of the interviewers' scores (1 to {LEVELS}). A question no one scored counts as not asked, never as zero.\n\
         - Topic score: the mean of its scored questions.\n\
         - Total: Σ weight × topic score / Σ weight over the topics with a score; a topic's weight is the blueprint's question count for it.\n\
         - %: (total − 1) / {} × 100.\n\
         - MAD: mean absolute difference between two interviewers over the questions both scored.\n\
         - κ: Cohen's kappa with quadratic weights, 1 − Σ w·O / Σ w·E with w = (i − j)² / {}²; 1 is full agreement, 0 is chance. With more than two interviewers the table shows the mean over pairs.\n\
         - Disagreement: a question two interviewers scored {DISAGREEMENT} or more levels apart.",
        LEVELS - 1,
        LEVELS - 1
    );
    md
}

/// An empty number as a dash, so a Markdown table has no blank cells.
fn or_dash(text: String) -> String {
    or(text, "–")
}

fn or(text: String, fallback: &str) -> String {
    if text.is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::KitInfo;

    fn kit(code: &str, candidate: &str) -> KitInfo {
        // Topic a has three questions, topic b one; the blueprint counts them 3 and 1.
        KitInfo {
            kit_code: code.into(),
            candidate: candidate.into(),
            questions: vec![
                (1, "a1".into(), "a".into()),
                (2, "a2".into(), "a".into()),
                (3, "a3".into(), "a".into()),
                (4, "b1".into(), "b".into()),
            ],
            topic_weights: [("a".to_string(), 3), ("b".to_string(), 1)].into(),
            topic_titles: [("a".to_string(), "Alpha".to_string())].into(),
        }
    }

    /// One interviewer's scores: (question id, score).
    type Sheet<'a> = &'a [(&'a str, Option<u8>)];

    fn scores(list: &[(&str, Sheet<'_>)]) -> BTreeMap<String, BTreeMap<String, Option<u8>>> {
        list.iter()
            .map(|(who, qs)| {
                (
                    who.to_string(),
                    qs.iter().map(|(q, s)| (q.to_string(), *s)).collect(),
                )
            })
            .collect()
    }

    /// Hand-checked round:
    ///
    /// Kit X (Ada), interviewers Ann and Bob:
    ///   a1: Ann 4, Bob 2 → 3.0 (a disagreement: 2 levels apart)
    ///   a2: Ann 3, Bob 3 → 3.0
    ///   a3: Ann 2, Bob —  → 2.0
    ///   b1: Ann 1, Bob 2 → 1.5
    ///   topic a = (3 + 3 + 2) / 3 = 8/3 ≈ 2.6667; topic b = 1.5
    ///   total = (3 × 8/3 + 1 × 1.5) / (3 + 1) = 9.5 / 4 = 2.375; % = 1.375 / 3 × 100 ≈ 45.83
    ///   Ann–Bob on a1, a2, b1: (4,2) (3,3) (1,2) → MAD = (2 + 0 + 1) / 3 = 1.0
    ///   kappa: observed Σd²/n = (4 + 0 + 1)/3 = 5/3; Ann over (1..4) = (1/3, 0, 1/3, 1/3):
    ///   mean 8/3, mean of squares 26/3, variance 26/3 − 64/9 = 14/9; Bob = (0, 2/3, 1/3, 0):
    ///   mean 7/3, mean of squares 17/3, variance 17/3 − 49/9 = 2/9; chance = 14/9 + 2/9 +
    ///   (1/3)² = 17/9; κ = 1 − (5/3)/(17/9) = 1 − 15/17 = 2/17 ≈ 0.1176.
    ///
    /// Kit Y (Bea), one interviewer: a1 3, a2 —, a3 —, b1 4 → topic a 3, topic b 4,
    ///   total (3×3 + 1×4)/4 = 13/4 = 3.25: Bea ranks first although half her kit is unscored,
    ///   because a topic keeps its blueprint weight. Completion 2/4.
    ///
    /// Kit Z (Cy), nothing scored: no total, ranked last.
    #[test]
    fn hand_checked_round() {
        let round = [
            Scored {
                recommendations: BTreeMap::new(),
                kit: kit("X", "Ada"),
                scores: scores(&[
                    (
                        "Ann",
                        &[
                            ("a1", Some(4)),
                            ("a2", Some(3)),
                            ("a3", Some(2)),
                            ("b1", Some(1)),
                        ],
                    ),
                    (
                        "Bob",
                        &[
                            ("a1", Some(2)),
                            ("a2", Some(3)),
                            ("a3", None),
                            ("b1", Some(2)),
                        ],
                    ),
                ]),
            },
            Scored {
                recommendations: BTreeMap::new(),
                kit: kit("Y", "Bea"),
                scores: scores(&[("Cat", &[("a1", Some(3)), ("b1", Some(4))])]),
            },
            Scored {
                recommendations: BTreeMap::new(),
                kit: kit("Z", "Cy"),
                scores: scores(&[("Dan", &[("a1", None)])]),
            },
        ];
        let summary = summarize(&round, vec![]);
        let names: Vec<&str> = summary
            .candidates
            .iter()
            .map(|c| c.candidate.as_str())
            .collect();
        assert_eq!(names, ["Bea", "Ada", "Cy"]);
        let ada = &summary.candidates[1];
        assert_eq!(ada.rank, 2);
        let close = |a: Option<f64>, b: f64| assert!((a.unwrap() - b).abs() < 1e-9, "{a:?} vs {b}");
        close(ada.topics["a"].mean, 8.0 / 3.0);
        close(ada.topics["b"].mean, 1.5);
        close(ada.total, 2.375);
        close(ada.percent(), 1.375 / 3.0 * 100.0);
        assert_eq!(ada.scored(), 4);
        assert_eq!(ada.pairs.len(), 1);
        assert_eq!(ada.pairs[0].shared, 3);
        close(ada.pairs[0].mad, 1.0);
        close(ada.pairs[0].kappa, 2.0 / 17.0);
        let disagreements: Vec<&str> = ada.disagreements().map(|q| q.id.as_str()).collect();
        assert_eq!(disagreements, ["a1"]);

        let bea = &summary.candidates[0];
        close(bea.total, 3.25);
        assert_eq!(bea.completion(), 0.5);
        assert!(bea.pairs.is_empty());

        let cy = &summary.candidates[2];
        assert_eq!((cy.rank, cy.total, cy.scored()), (3, None, 0));
        assert_eq!(summary.topics["a"], "Alpha");
        assert_eq!(summary.topics["b"], "b");

        let csv = String::from_utf8(summary_csv(&summary, &CsvOptions::plain()).unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "rank,kit_code,candidate,total,percent,scored,questions,completion_percent,interviewers,topic_a,topic_b,mad,kappa,disagreements,recommendations"
        );
        assert_eq!(lines[1], "1,Y,Bea,3.25,75.0,2,4,50.0,Cat,3.00,4.00,,,,");
        assert_eq!(
            lines[2],
            "2,X,Ada,2.38,45.8,4,4,100.0,Ann; Bob,2.67,1.50,1.00,0.12,a1,"
        );
        assert_eq!(lines[3], "3,Z,Cy,,,0,4,0.0,Dan,,,,,,");
        let md = summary_md(&summary);
        assert!(
            md.contains("| 2 | Ada | `X` | 2.38 | 45.8 | 4/4 | 2 | 1.00 | 0.12 | 1 |"),
            "{md}"
        );
        assert!(md.contains("- question 1 `a1`: `Ann` 4, `Bob` 2"), "{md}");
    }

    #[test]
    fn equal_results_share_a_rank() {
        let one = |code: &str| Scored {
            recommendations: BTreeMap::new(),
            kit: kit(code, code),
            scores: scores(&[("I", &[("a1", Some(3)), ("b1", Some(3))])]),
        };
        let summary = summarize(&[one("P"), one("Q")], vec![]);
        let ranks: Vec<usize> = summary.candidates.iter().map(|c| c.rank).collect();
        assert_eq!(ranks, [1, 1]);
    }
}
