//! The figures of a round, computed once for every front end: profile, minutes, overlap
//! against its lower bound, exposure spread, and how many candidates a blueprint can serve.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::{Earlier, Pick, Plan, round};
use crate::bank::Level;

/// Kits simulated to find how many candidates a blueprint serves at each overlap.
pub const SERVES_LIMIT: usize = 100;

/// Overlaps `serves` reports, 0 to this.
pub const SERVES_MAX_OVERLAP: usize = 3;

/// How equal and how spread a round is (or would be): what `generate --dry-run` prints,
/// the round summary, `--json`, `--explain` and the web preview show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Selection algorithm of the plan.
    pub algorithm_version: u32,
    /// Number of kits.
    pub kits: usize,
    /// Questions per (topic, level) every kit gets.
    pub profile: Vec<ProfileCell>,
    /// Shortest and longest kit in minutes.
    pub minutes: (u32, u32),
    /// The band the kits aim for, see [`Plan::minutes_band`].
    pub minutes_band: (u32, u32),
    /// Most questions any two kits share.
    pub max_overlap: usize,
    /// Questions two kits share on average (over every pair), to two decimals.
    pub mean_overlap: f64,
    /// No round of this size, bank and profile can have a smaller mean overlap (two decimals).
    pub overlap_lower_bound: f64,
    /// No round of this size, bank and profile can have a smaller maximum overlap.
    pub max_overlap_lower_bound: usize,
    /// Largest difference, within one cell, between the most- and least-used question
    /// (history included).
    pub exposure_spread: u32,
    /// Kits holding two questions of one family.
    pub family_pairs: usize,
    /// How many candidates a round of this plan serves at each maximum overlap.
    pub serves: Vec<Serves>,
}

/// A cell of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileCell {
    /// Topic id.
    pub topic: String,
    /// Level.
    pub level: Level,
    /// Questions every kit takes from the cell.
    pub count: usize,
    /// Questions the cell has.
    pub eligible: usize,
}

/// How many candidates one round serves with at most `max_overlap` questions shared by any two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Serves {
    /// The overlap allowed.
    pub max_overlap: usize,
    /// Kits the plan's round reaches before two of them share more (a fresh round, no
    /// history), counted up to [`SERVES_LIMIT`].
    pub candidates: usize,
    /// Whether the count stopped at [`SERVES_LIMIT`] (the plan serves at least that many).
    pub at_least: bool,
    /// No algorithm can serve more with this bank and profile (from the lower bound).
    pub bank_allows: usize,
}

/// Measures the round `kits` drawn from `plan` after the `prior` kits.
pub fn forecast(plan: &Plan<'_>, kits: &[Vec<Pick<'_>>], prior: &Earlier) -> Forecast {
    let sets: Vec<Vec<&str>> = kits
        .iter()
        .map(|k| k.iter().map(|p| p.question.id.as_str()).collect())
        .collect();
    let n = kits.len();
    let mut uses: BTreeMap<&str, u64> = BTreeMap::new();
    for id in sets.iter().flatten() {
        *uses.entry(id).or_insert(0) += 1;
    }
    let pairs = pairs(n as u64);
    let shared: u64 = uses.values().map(|&u| self::pairs(u)).sum();
    let mut all = prior.exposure().clone();
    for id in sets.iter().flatten() {
        *all.entry((*id).to_owned()).or_insert(0) += 1;
    }
    let exposure_spread = plan
        .profile
        .keys()
        .map(|cell| {
            let counts: Vec<u32> = plan.cells[cell]
                .iter()
                .map(|q| all.get(&q.id).copied().unwrap_or(0))
                .collect();
            counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0)
        })
        .max()
        .unwrap_or(0);
    let minutes: Vec<u32> = kits
        .iter()
        .map(|k| k.iter().map(|p| p.question.minutes).sum())
        .collect();
    let family_pairs = kits
        .iter()
        .filter(|k| {
            let families: Vec<&str> = k
                .iter()
                .filter_map(|p| p.question.family.as_deref())
                .collect();
            families.iter().collect::<BTreeSet<_>>().len() < families.len()
        })
        .count();
    let bound = overlap_lower_bound(plan, n);
    Forecast {
        algorithm_version: plan.version,
        kits: n,
        profile: plan
            .profile
            .iter()
            .map(|((topic, level), &count)| ProfileCell {
                topic: topic.clone(),
                level: *level,
                count,
                eligible: plan.cells[&(topic.clone(), *level)].len(),
            })
            .collect(),
        minutes: (
            minutes.iter().copied().min().unwrap_or(0),
            minutes.iter().copied().max().unwrap_or(0),
        ),
        minutes_band: plan.minutes_band(),
        max_overlap: running_max(&sets).last().copied().unwrap_or(0),
        mean_overlap: two_decimals(if pairs == 0 {
            0.0
        } else {
            shared as f64 / pairs as f64
        }),
        overlap_lower_bound: two_decimals(bound),
        max_overlap_lower_bound: whole(bound),
        exposure_spread,
        family_pairs,
        serves: serves(plan),
    }
}

/// The least mean pairwise overlap any round of `n` kits of `plan` can have.
///
/// In a cell of `s` questions from which every kit takes `c`, `n` kits make `n·c` uses; the
/// pairs of kits sharing a question number Σ uses·(uses−1)/2 over its questions, least when
/// the uses are as even as possible. Included questions are in every kit. Summed over the
/// cells and divided by the n·(n−1)/2 pairs, this bounds the mean overlap from below, and
/// so the maximum too (which is a whole number at least the mean).
pub fn overlap_lower_bound(plan: &Plan<'_>, n: usize) -> f64 {
    let all_pairs = pairs(n as u64);
    if all_pairs == 0 {
        return 0.0;
    }
    let mut shared = 0u64;
    for (cell, &count) in &plan.profile {
        let qs = &plan.cells[cell];
        let forced = qs
            .iter()
            .filter(|q| plan.forced.contains(q.id.as_str()))
            .count();
        shared += forced as u64 * all_pairs;
        let free = (qs.len() - forced) as u64;
        let uses = (n * (count - forced.min(count))) as u64;
        if let Some(each) = uses.checked_div(free) {
            let extra = uses % free;
            shared += extra * pairs(each + 1) + (free - extra) * pairs(each);
        }
    }
    shared as f64 / all_pairs as f64
}

/// For each overlap 0..=[`SERVES_MAX_OVERLAP`], how many kits a fresh round of `plan` reaches.
fn serves(plan: &Plan<'_>) -> Vec<Serves> {
    // One round of SERVES_LIMIT kits (no history): by prefix stability its first kits are
    // exactly the round of any smaller roster.
    let sets: Vec<Vec<&str>> = match round(plan, 0, SERVES_LIMIT, &Earlier::default(), |i| {
        (BTreeSet::new(), format!("candidate {}", i + 1))
    }) {
        Ok(kits) => kits
            .into_iter()
            .map(|k| k.into_iter().map(|p| p.question.id.as_str()).collect())
            .collect(),
        Err(_) => Vec::new(),
    };
    let running = running_max(&sets);
    (0..=SERVES_MAX_OVERLAP)
        .map(|k| {
            let candidates = running.iter().take_while(|&&m| m <= k).count();
            Serves {
                max_overlap: k,
                candidates,
                at_least: candidates == sets.len() && !sets.is_empty(),
                bank_allows: bank_allows(plan, k),
            }
        })
        .collect()
}

/// The largest round whose overlap lower bound stays at or under `k` (capped at 1,000,000).
fn bank_allows(plan: &Plan<'_>, k: usize) -> usize {
    let fits = |n: usize| max_overlap_lower_bound(plan, n) <= k;
    let (mut low, mut high) = (1usize, 1_000_000usize);
    if fits(high) {
        return high;
    }
    // The bound grows with n: the largest n that fits lies in low..high.
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if fits(mid) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// After each kit, the largest overlap between any two kits so far, through an index of
/// which kits used each question (work: Σ over questions of uses², not n²).
fn running_max(kits: &[Vec<&str>]) -> Vec<usize> {
    let mut users: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut shared = vec![0usize; kits.len()];
    let mut touched = Vec::new();
    let mut max = 0;
    let mut out = Vec::with_capacity(kits.len());
    for (k, kit) in kits.iter().enumerate() {
        for id in kit {
            let list = users.entry(id).or_default();
            for &j in list.iter() {
                if shared[j] == 0 {
                    touched.push(j);
                }
                shared[j] += 1;
                max = max.max(shared[j]);
            }
            list.push(k);
        }
        for j in touched.drain(..) {
            shared[j] = 0;
        }
        out.push(max);
    }
    out
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The least maximum pairwise overlap any round of `n` kits of `plan` can have: the
/// [`overlap_lower_bound`] of the mean, rounded up.
pub fn max_overlap_lower_bound(plan: &Plan<'_>, n: usize) -> usize {
    whole(overlap_lower_bound(plan, n))
}

/// The least whole number at or above `x`, ignoring rounding noise.
fn whole(x: f64) -> usize {
    (x - 1e-9).ceil().max(0.0) as usize
}

impl fmt::Display for Forecast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let questions: usize = self.profile.iter().map(|c| c.count).sum();
        let profile: Vec<String> = self
            .profile
            .iter()
            .map(|c| format!("{}/{} {} of {}", c.topic, c.level, c.count, c.eligible))
            .collect();
        writeln!(
            f,
            "round: {} kits, same topic and level profile ({questions} questions each, selection v{})",
            self.kits, self.algorithm_version
        )?;
        writeln!(f, "  profile: {}", profile.join(", "))?;
        writeln!(
            f,
            "  minutes: {}-{} per kit (target {}-{})",
            self.minutes.0, self.minutes.1, self.minutes_band.0, self.minutes_band.1
        )?;
        writeln!(
            f,
            "  overlap: max {} question(s), mean {:.2} between two kits; lower bound for this bank, profile and size: mean {:.2}, max {}",
            self.max_overlap,
            self.mean_overlap,
            self.overlap_lower_bound,
            self.max_overlap_lower_bound
        )?;
        writeln!(
            f,
            "  exposure spread: {} (most- minus least-used question within a cell); kits with two questions of one family: {}",
            self.exposure_spread, self.family_pairs
        )?;
        let serves: Vec<String> = self
            .serves
            .iter()
            .map(|s| {
                format!(
                    "<= {}: {}{} (bank allows {})",
                    s.max_overlap,
                    if s.at_least { "at least " } else { "" },
                    s.candidates,
                    if s.bank_allows >= 1_000_000 {
                        "1,000,000+".to_owned()
                    } else {
                        crate::limits::thousands(s.bank_allows)
                    }
                )
            })
            .collect();
        write!(
            f,
            "  candidates served with max overlap {}",
            serves.join("; ")
        )
    }
}
