//! Seeded selection: which questions a kit gets, with exact topic quotas and level mix; pure, no I/O.

mod blueprint;
mod rng;

use std::collections::BTreeMap;

pub use blueprint::Blueprint;
pub use rng::Stream;

use crate::bank::{Bank, Level, Question};
use crate::error::{Error, Result, Shortfall};

/// Version of the selection algorithm. Kit codes carry it; golden tests pin its output.
pub const ALGORITHM_VERSION: u32 = 1;

/// Search steps allowed when fitting the level mix to the topic quotas; far above what
/// any real bank needs, it only stops a pathological blueprint from spinning.
const PROFILE_SEARCH_LIMIT: usize = 200_000;

/// Chooses the questions of one kit: `form` numbers the kits drawn from one seed (0 for a single kit).
///
/// The kit is ordered by level (junior first), then topic id, then draw order.
pub fn select<'b>(
    bank: &'b Bank,
    blueprint: &Blueprint,
    seed: u64,
    form: u32,
) -> Result<Vec<&'b Question>> {
    let cells = eligible(bank, blueprint);
    check_supply(blueprint, &cells)?;
    let mut rng = Stream::new(ALGORITHM_VERSION, &format!("form/{form}"), seed);
    let profile = plan_profile(blueprint, &cells, &mut rng)?;

    let mut picked = Vec::with_capacity(blueprint.total());
    for ((topic, level), count) in &profile {
        let pool = &cells[&(topic.as_str(), *level)];
        picked.extend(rng.sample(pool, *count));
    }
    picked.sort_by_key(|q| q.level);
    Ok(picked)
}

/// Whether `bank` can fill `blueprint`: enough questions per topic and level, and a level mix that fits.
pub fn can_fill(bank: &Bank, blueprint: &Blueprint) -> bool {
    let cells = eligible(bank, blueprint);
    check_supply(blueprint, &cells).is_ok()
        && plan_profile(
            blueprint,
            &cells,
            &mut Stream::new(ALGORITHM_VERSION, "feasibility", 0),
        )
        .is_ok()
}

/// How many kits of `blueprint` the bank can fill at once with no question in common.
///
/// `k` disjoint kits exist exactly when the blueprint with every count multiplied by `k`
/// can be filled (a bipartite multigraph with degrees divisible by `k` splits into `k`
/// factors), so this is a binary search over that scaled blueprint.
pub fn disjoint_kits(bank: &Bank, blueprint: &Blueprint) -> usize {
    let scaled = |k: u32| Blueprint {
        topics: blueprint
            .topics
            .iter()
            .map(|(t, &c)| (t.clone(), c * k))
            .collect(),
        levels: blueprint.levels.iter().map(|(&l, &c)| (l, c * k)).collect(),
        ..blueprint.clone()
    };
    let total = blueprint.total().max(1);
    let (mut low, mut high) = (0u32, (bank.questions.len() / total) as u32);
    while low < high {
        let mid = (low + high).div_ceil(2);
        if can_fill(bank, &scaled(mid)) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low as usize
}

/// Bank questions of the blueprint's topics, by (topic, level), each list sorted by id.
fn eligible<'b>(
    bank: &'b Bank,
    blueprint: &Blueprint,
) -> BTreeMap<(&'b str, Level), Vec<&'b Question>> {
    let mut cells: BTreeMap<(&str, Level), Vec<&Question>> = BTreeMap::new();
    for topic in blueprint.topics.keys() {
        if let Some(topic) = bank.topic(topic) {
            for level in Level::ALL {
                cells.insert((topic.id.as_str(), level), Vec::new());
            }
        }
    }
    for q in &bank.questions {
        if let Some(cell) = cells.get_mut(&(q.topic.as_str(), q.level)) {
            cell.push(q);
        }
    }
    cells
}

/// Every topic and level the bank has too few questions for, all at once.
fn check_supply(
    blueprint: &Blueprint,
    cells: &BTreeMap<(&str, Level), Vec<&Question>>,
) -> Result<()> {
    let available = |topic: Option<&str>, level: Option<Level>| -> usize {
        cells
            .iter()
            .filter(|((t, l), _)| topic.is_none_or(|x| x == *t) && level.is_none_or(|x| x == *l))
            .map(|(_, qs)| qs.len())
            .sum()
    };
    let mut shortfalls = Vec::new();
    for (topic, &wanted) in &blueprint.topics {
        let have = available(Some(topic), None);
        if have < wanted as usize {
            shortfalls.push(Shortfall {
                what: format!("topic `{topic}`"),
                wanted: wanted as usize,
                available: have,
            });
        }
    }
    for (&level, &wanted) in &blueprint.levels {
        let have = available(None, Some(level));
        if have < wanted as usize {
            shortfalls.push(Shortfall {
                what: format!("level `{level}` (over the blueprint's topics)"),
                wanted: wanted as usize,
                available: have,
            });
        }
    }
    if shortfalls.is_empty() {
        Ok(())
    } else {
        Err(Error::Shortfall {
            blueprint: blueprint.name.clone(),
            shortfalls,
        })
    }
}

/// Decides how many questions each (topic, level) cell contributes.
///
/// Without a level mix each topic's questions are drawn from all its levels at once
/// (one cell per topic). With one, a seeded backtracking search assigns each topic a
/// split over levels such that the level totals come out exact.
fn plan_profile<'b>(
    blueprint: &Blueprint,
    cells: &BTreeMap<(&'b str, Level), Vec<&'b Question>>,
    rng: &mut Stream,
) -> Result<BTreeMap<(String, Level), usize>> {
    let topics: Vec<(&str, usize)> = blueprint
        .topics
        .iter()
        .map(|(t, &c)| (t.as_str(), c as usize))
        .collect();
    let supply = |topic: &str, level: Level| cells.get(&(topic, level)).map_or(0, Vec::len);

    if blueprint.levels.is_empty() {
        // Draw per topic from every level: shuffle a topic's whole pool by drawing its split.
        let mut profile = BTreeMap::new();
        for &(topic, count) in &topics {
            let mut pool: Vec<Level> = Level::ALL
                .iter()
                .flat_map(|&l| std::iter::repeat_n(l, supply(topic, l)))
                .collect();
            rng.shuffle(&mut pool);
            for level in pool.into_iter().take(count) {
                *profile.entry((topic.to_owned(), level)).or_insert(0) += 1;
            }
        }
        return Ok(profile);
    }

    let need: [usize; 3] =
        Level::ALL.map(|l| blueprint.levels.get(&l).copied().unwrap_or(0) as usize);
    // Each topic's possible splits (junior, mid, senior), in a seeded order.
    let options: Vec<Vec<[usize; 3]>> = topics
        .iter()
        .map(|&(topic, count)| {
            let cap = Level::ALL.map(|l| supply(topic, l).min(need[level_index(l)]));
            let mut splits = Vec::new();
            for j in 0..=cap[0].min(count) {
                for m in 0..=cap[1].min(count - j) {
                    let s = count - j - m;
                    if s <= cap[2] {
                        splits.push([j, m, s]);
                    }
                }
            }
            rng.shuffle(&mut splits);
            splits
        })
        .collect();

    let mut chosen = Vec::with_capacity(topics.len());
    let mut steps = 0;
    if !search(&options, need, &mut chosen, &mut steps) {
        return Err(Error::LevelMixInfeasible {
            blueprint: blueprint.name.clone(),
        });
    }
    let mut profile = BTreeMap::new();
    for (&(topic, _), split) in topics.iter().zip(&chosen) {
        for level in Level::ALL {
            let n = split[level_index(level)];
            if n > 0 {
                profile.insert((topic.to_owned(), level), n);
            }
        }
    }
    Ok(profile)
}

/// Depth-first search for one split per topic whose level sums equal `need`.
fn search(
    options: &[Vec<[usize; 3]>],
    need: [usize; 3],
    chosen: &mut Vec<[usize; 3]>,
    steps: &mut usize,
) -> bool {
    let depth = chosen.len();
    if depth == options.len() {
        return need == [0, 0, 0];
    }
    // Prune: the topics still to place must be able to reach every remaining level total.
    let reachable = |level: usize| -> usize {
        options[depth..]
            .iter()
            .map(|o| o.iter().map(|s| s[level]).max().unwrap_or(0))
            .sum()
    };
    if (0..3).any(|l| reachable(l) < need[l]) {
        return false;
    }
    for split in &options[depth] {
        *steps += 1;
        if *steps > PROFILE_SEARCH_LIMIT {
            return false;
        }
        if (0..3).all(|l| split[l] <= need[l]) {
            chosen.push(*split);
            let rest = [need[0] - split[0], need[1] - split[1], need[2] - split[2]];
            if search(options, rest, chosen, steps) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Junior => 0,
        Level::Mid => 1,
        Level::Senior => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> (Bank, Blueprint) {
        let bank = Bank::builtin().unwrap();
        let blueprint = Blueprint::builtin(&bank).unwrap();
        (bank, blueprint)
    }

    #[test]
    fn same_seed_same_ids_and_no_duplicates() {
        let (bank, bp) = default();
        let ids = |seed| {
            select(&bank, &bp, seed, 0)
                .unwrap()
                .iter()
                .map(|q| q.id.clone())
                .collect::<Vec<_>>()
        };
        let first = ids(42);
        assert_eq!(first, ids(42));
        let mut unique = first.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn quotas_are_exact() {
        let (bank, bp) = default();
        for seed in 0..20 {
            let picked = select(&bank, &bp, seed, 0).unwrap();
            for (topic, &count) in &bp.topics {
                assert_eq!(
                    picked.iter().filter(|q| &q.topic == topic).count(),
                    count as usize
                );
            }
            for (&level, &count) in &bp.levels {
                assert_eq!(
                    picked.iter().filter(|q| q.level == level).count(),
                    count as usize
                );
            }
        }
    }

    #[test]
    fn the_default_bank_fills_several_disjoint_default_kits() {
        let (bank, bp) = default();
        assert!(can_fill(&bank, &bp));
        let k = disjoint_kits(&bank, &bp);
        assert!(k >= 5, "{k}");
        // Disjoint kits can never outnumber the smallest topic's share.
        assert!(k <= 16 / 2);
    }
}
