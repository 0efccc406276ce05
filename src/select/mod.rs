//! Seeded selection: which questions each kit of a round gets, with exact quotas; pure, no I/O.
//!
//! A round has one *profile* (questions per topic and level), planned once from the seed,
//! so every kit of the round is equivalent. Each kit then fills every cell of the profile
//! with the least-exposed eligible questions, ties broken by the kit's own random stream,
//! which spreads exposure evenly and keeps the overlap between kits as small as the bank allows.

mod blueprint;
mod forecast;
mod rng;
mod v2;

use std::collections::{BTreeMap, BTreeSet};

pub use blueprint::{Blueprint, Cap, largest_remainder};
pub use forecast::{
    Forecast, ProfileCell, SERVES_LIMIT, Serves, forecast, max_overlap_lower_bound,
    overlap_lower_bound,
};
pub use rng::Stream;

use crate::bank::{Bank, Level, Question};
use crate::error::{Error, Result, Shortfall};

/// Version of the selection algorithm new kits use. Kit codes carry it; golden tests pin
/// its output. Version 1 still replays the codes it made.
pub const ALGORITHM_VERSION: u32 = 3;

/// Every selection algorithm this build can run, oldest first.
pub const SUPPORTED_VERSIONS: [u32; 3] = [1, 2, 3];

/// How far (as a fraction) a kit's total minutes may stray from the profile's expected
/// length before questions are swapped to bring it back.
pub const MINUTES_TOLERANCE: f64 = 0.15;

/// Search steps allowed when fitting the level mix to the topic quotas; far above what
/// any real bank needs, it only stops a pathological blueprint from spinning.
const PROFILE_SEARCH_LIMIT: usize = 200_000;

/// A (topic id, level) cell of the profile.
pub type Cell = (String, Level);

/// Why a question is in a kit, for `generate --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The profile cell the question fills.
    pub cell: Cell,
    /// How many questions the cell asks for.
    pub wanted: usize,
    /// How many questions were eligible in the cell for this candidate.
    pub eligible: usize,
    /// Times the question was used before this kit (history plus earlier kits of the round).
    pub exposure: u32,
    /// Least exposure among the cell's eligible questions.
    pub least_exposure: u32,
    /// The blueprint's `include` forced it in.
    pub included: bool,
}

/// One chosen question and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick<'b> {
    /// The question.
    pub question: &'b Question,
    /// Why it was chosen.
    pub reason: Reason,
}

impl<'b> Pick<'b> {
    /// A question placed in a kit by hand (recorded earlier, or chosen by a test), with a
    /// neutral reason: its cell and nothing else.
    pub fn given(question: &'b Question) -> Pick<'b> {
        Pick {
            question,
            reason: Reason {
                cell: (question.topic.clone(), question.level),
                wanted: 0,
                eligible: 0,
                exposure: 0,
                least_exposure: 0,
                included: false,
            },
        }
    }
}

/// A blueprint fitted to a bank for one seed: the eligible questions and the round's profile.
#[derive(Debug, Clone)]
pub struct Plan<'b> {
    version: u32,
    blueprint_name: String,
    seed: u64,
    max_minutes: Option<u32>,
    min_minutes: Option<u32>,
    cells: BTreeMap<Cell, Vec<&'b Question>>,
    profile: BTreeMap<Cell, usize>,
    forced: BTreeSet<&'b str>,
    /// `[at_most]` caps as (max, ids); selection v2 and later.
    caps: Vec<(u32, BTreeSet<&'b str>)>,
}

/// What came before a kit: the earlier kits (the history ledger's, then the round's), as
/// question ids. Version 1 reads only how often each question was used; versions 2 and 3 also
/// keep each new kit's overlap with every earlier kit small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Earlier {
    kits: Vec<Vec<String>>,
    exposure: BTreeMap<String, u32>,
}

impl Earlier {
    /// Earlier kits, oldest first, each as its question ids.
    pub fn from_kits<I, K, S>(kits: I) -> Earlier
    where
        I: IntoIterator<Item = K>,
        K: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut earlier = Earlier::default();
        for kit in kits {
            earlier.push(kit.into_iter().map(|id| id.as_ref().to_owned()).collect());
        }
        earlier
    }

    /// Earlier uses of each question, with no earlier kit known as a whole (a workspace's or
    /// ledger's history): versions 2 and 3 then keep the overlap small against the round's own kits.
    pub fn from_exposure(exposure: BTreeMap<String, u32>) -> Earlier {
        Earlier {
            kits: Vec::new(),
            exposure,
        }
    }

    /// Adds a kit at the end.
    pub fn push(&mut self, kit: Vec<String>) {
        for id in &kit {
            *self.exposure.entry(id.clone()).or_insert(0) += 1;
        }
        self.kits.push(kit);
    }

    /// Times each question was used by the earlier kits.
    pub fn exposure(&self) -> &BTreeMap<String, u32> {
        &self.exposure
    }

    /// The earlier kits, oldest first.
    pub fn kits(&self) -> &[Vec<String>] {
        &self.kits
    }
}

/// Chooses the questions of a single kit (form `form`, no history): plan, then draw.
pub fn select<'b>(
    bank: &'b Bank,
    blueprint: &Blueprint,
    seed: u64,
    form: u32,
) -> Result<Vec<&'b Question>> {
    let plan = Plan::new(bank, blueprint, seed)?;
    let picks = plan.draw(form, &Earlier::default(), &BTreeSet::new(), "the kit")?;
    Ok(picks.into_iter().map(|p| p.question).collect())
}

/// Whether `bank` can fill `blueprint`: enough questions per topic and level, and a level mix that fits.
pub fn can_fill(bank: &Bank, blueprint: &Blueprint) -> bool {
    Plan::new(bank, blueprint, 0).is_ok()
}

/// How many kits of `blueprint` the bank can fill at once with no question in common.
///
/// `k` disjoint kits exist exactly when the blueprint with every count multiplied by `k`
/// can be filled (a bipartite multigraph with degrees divisible by `k` splits into `k`
/// factors), so this is a binary search over that scaled blueprint.
pub fn disjoint_kits(bank: &Bank, blueprint: &Blueprint) -> usize {
    if !blueprint.include.is_empty() {
        // Every kit must contain the included questions, so no two kits are disjoint.
        return usize::from(can_fill(bank, blueprint));
    }
    let scale = |k: u32| {
        let times = |m: &BTreeMap<Level, u32>| m.iter().map(|(&l, &c)| (l, c * k)).collect();
        Blueprint {
            topics: blueprint
                .topics
                .iter()
                .map(|(t, &c)| (t.clone(), c * k))
                .collect(),
            levels: times(&blueprint.levels),
            topic_levels: blueprint
                .topic_levels
                .iter()
                .map(|(t, m)| (t.clone(), times(m)))
                .collect(),
            max_minutes: blueprint.max_minutes.map(|m| m.saturating_mul(k)),
            ..blueprint.clone()
        }
    };
    let total = blueprint.total().max(1);
    let (mut low, mut high) = (0u32, (bank.questions.len() / total) as u32);
    while low < high {
        let mid = (low + high).div_ceil(2);
        if can_fill(bank, &scale(mid)) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low as usize
}

impl<'b> Plan<'b> {
    /// Checks supply and fixes the round's profile from the seed, with the current
    /// selection algorithm ([`ALGORITHM_VERSION`]).
    pub fn new(bank: &'b Bank, blueprint: &Blueprint, seed: u64) -> Result<Plan<'b>> {
        Self::with_version(bank, blueprint, seed, ALGORITHM_VERSION)
    }

    /// Like [`Plan::new`] with selection algorithm `version` (one of [`SUPPORTED_VERSIONS`]),
    /// so a kit code keeps replaying with the algorithm that made it.
    pub fn with_version(
        bank: &'b Bank,
        blueprint: &Blueprint,
        seed: u64,
        version: u32,
    ) -> Result<Plan<'b>> {
        if !SUPPORTED_VERSIONS.contains(&version) {
            return Err(Error::Replay(format!(
                "selection algorithm v{version} is unknown to this interview-kit (it has v1 to v{ALGORITHM_VERSION}); \
                 use the interview-kit version that made the kit"
            )));
        }
        let excluded: BTreeSet<&str> = blueprint.exclude.iter().map(String::as_str).collect();
        let mut cells: BTreeMap<Cell, Vec<&Question>> = BTreeMap::new();
        for topic in blueprint.topics.keys() {
            for level in Level::ALL {
                cells.insert((topic.clone(), level), Vec::new());
            }
        }
        for q in &bank.questions {
            if excluded.contains(q.id.as_str()) {
                continue;
            }
            if let Some(cell) = cells.get_mut(&(q.topic.clone(), q.level)) {
                cell.push(q);
            }
        }
        let forced: BTreeSet<&str> = blueprint
            .include
            .iter()
            .filter_map(|id| bank.question(id))
            .map(|q| q.id.as_str())
            .collect();
        check_supply(blueprint, &cells)?;
        // Version 3 changes only how kits are assembled: it plans the profile as version 2.
        let mut rng = Stream::new(version.min(2), "profile", seed);
        let profile = if version == 1 {
            plan_profile(blueprint, &cells, &forced, &mut rng)?
        } else {
            v2::plan_profile(blueprint, &cells, &forced, &mut rng)?
        };
        let caps = blueprint
            .at_most
            .values()
            .map(|cap| {
                let ids = cap
                    .ids
                    .iter()
                    .filter_map(|id| bank.question(id))
                    .map(|q| q.id.as_str())
                    .collect();
                (cap.max, ids)
            })
            .collect();
        Ok(Plan {
            version,
            blueprint_name: blueprint.name.clone(),
            seed,
            max_minutes: blueprint.max_minutes,
            min_minutes: blueprint.min_minutes,
            cells,
            profile,
            forced,
            caps,
        })
    }

    /// The selection algorithm this plan runs.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The seed the plan was made with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Questions per (topic, level) that every kit of the round gets.
    pub fn profile(&self) -> &BTreeMap<Cell, usize> {
        &self.profile
    }

    /// The eligible questions of a cell, sorted by id.
    pub fn cell(&self, cell: &Cell) -> &[&'b Question] {
        self.cells.get(cell).map_or(&[], Vec::as_slice)
    }

    /// Fills every cell for kit number `form` after the `earlier` kits, never with a
    /// question in `seen`; `who` names the candidate in errors.
    ///
    /// Version 1 prefers the least-used questions; versions 2 and 3 also keep the overlap with
    /// every earlier kit small, keep families apart, honour `[at_most]` and the minutes band.
    pub fn draw(
        &self,
        form: u32,
        earlier: &Earlier,
        seen: &BTreeSet<String>,
        who: &str,
    ) -> Result<Vec<Pick<'b>>> {
        if self.version == 1 {
            self.draw_v1(form, earlier.exposure(), seen, who)
        } else {
            let mut state = v2::State::new(self, earlier);
            state.draw(self, form, seen, who)
        }
    }

    /// Version 1: least-used questions per cell, ties by the kit's own stream, then minutes.
    fn draw_v1(
        &self,
        form: u32,
        exposure: &BTreeMap<String, u32>,
        seen: &BTreeSet<String>,
        who: &str,
    ) -> Result<Vec<Pick<'b>>> {
        let mut rng = Stream::new(1, &format!("form/{form}"), self.seed);
        let uses = |q: &Question| exposure.get(&q.id).copied().unwrap_or(0);
        let mut picks = Vec::new();
        let mut shortfalls = Vec::new();
        for (cell, &wanted) in &self.profile {
            // One key per question of the cell, drawn in id order, so the order is seeded.
            let keyed: Vec<(&Question, u64)> = self.cells[cell]
                .iter()
                .map(|&q| (q, rng.next_u64()))
                .collect();
            if let Some(q) = keyed
                .iter()
                .find(|(q, _)| self.forced.contains(q.id.as_str()) && seen.contains(&q.id))
            {
                return Err(Error::Conflict(format!(
                    "{who} has already seen `{}`, which the blueprint includes in every kit; drop it from `include`",
                    q.0.id
                )));
            }
            // Rank by (not included, uses, seeded key, id), computed once per question.
            let mut pool: Vec<(bool, u32, u64, &Question)> = keyed
                .into_iter()
                .filter(|(q, _)| !seen.contains(&q.id))
                .map(|(q, key)| (!self.forced.contains(q.id.as_str()), uses(q), key, q))
                .collect();
            if pool.len() < wanted {
                shortfalls.push(Shortfall {
                    what: format!(
                        "topic `{}` level `{}` (after {who}'s history)",
                        cell.0, cell.1
                    ),
                    wanted,
                    available: pool.len(),
                });
                continue;
            }
            let least = pool.iter().map(|p| p.1).min().unwrap_or(0);
            let rank = |a: &(bool, u32, u64, &Question), b: &(bool, u32, u64, &Question)| {
                (a.0, a.1, a.2, &a.3.id).cmp(&(b.0, b.1, b.2, &b.3.id))
            };
            // Only the first `wanted` matter: partition around them, then order those few.
            if wanted > 0 && wanted < pool.len() {
                pool.select_nth_unstable_by(wanted - 1, rank);
            }
            let eligible = pool.len();
            pool.truncate(wanted);
            pool.sort_unstable_by(rank);
            for (not_included, exposure, _, q) in pool {
                picks.push(Pick {
                    question: q,
                    reason: Reason {
                        cell: cell.clone(),
                        wanted,
                        eligible,
                        exposure,
                        least_exposure: least,
                        included: !not_included,
                    },
                });
            }
        }
        if !shortfalls.is_empty() {
            return Err(Error::Shortfall {
                blueprint: format!("{} (for {who})", self.blueprint_name),
                shortfalls,
            });
        }
        self.fit_minutes(&mut picks, exposure, seen);
        // Interview order: level (junior first), then topic id, then draw order.
        picks.sort_by_key(|p| p.question.level);
        Ok(picks)
    }

    /// The minutes band every kit of the round aims for.
    ///
    /// Version 1: the profile's expected length (count × mean minutes of each cell)
    /// ± [`MINUTES_TOLERANCE`], capped by the budget. Versions 2 and 3: the blueprint's
    /// `minutes = { min, max }` when it gives both; otherwise the expected length
    /// ± [`v2::TOLERANCE`], within whichever bound it gives.
    pub fn minutes_band(&self) -> (u32, u32) {
        if self.version != 1 {
            return v2::minutes_band(self);
        }
        let expected: f64 = self
            .profile
            .iter()
            .map(|(cell, &count)| {
                let qs = &self.cells[cell];
                let mean =
                    qs.iter().map(|q| f64::from(q.minutes)).sum::<f64>() / qs.len().max(1) as f64;
                mean * count as f64
            })
            .sum();
        let low = (expected * (1.0 - MINUTES_TOLERANCE)).floor() as u32;
        let high = (expected * (1.0 + MINUTES_TOLERANCE)).ceil() as u32;
        let cap = self.max_minutes.unwrap_or(u32::MAX);
        (low.min(cap), high.min(cap))
    }

    /// Brings the kit's total minutes into the round's band by swapping questions within
    /// their cells, then enforces the blueprint budget.
    ///
    /// The soft pass only swaps in questions used no more often than the one they replace,
    /// so balancing time never undoes the even spread of exposure; the budget pass may use
    /// any eligible question, because the budget is a hard limit.
    fn fit_minutes(
        &self,
        picks: &mut [Pick<'b>],
        exposure: &BTreeMap<String, u32>,
        seen: &BTreeSet<String>,
    ) {
        let (low, high) = self.minutes_band();
        let uses = |q: &Question| exposure.get(&q.id).copied().unwrap_or(0);
        self.swap_towards(picks, seen, (low, high), &uses, |pick, candidate| {
            uses(candidate) <= pick.reason.exposure
        });
        if let Some(budget) = self.max_minutes {
            self.swap_towards(picks, seen, (0, budget), &uses, |_, _| true);
        }
    }

    /// Greedy swaps until the total lies in `low..=high` or no allowed swap helps.
    ///
    /// Each step takes the swap that moves the total furthest towards the band without
    /// jumping past it (ties: earliest pick, then lowest id), so it is deterministic, and
    /// it terminates because every step strictly shrinks the distance to the band.
    fn swap_towards(
        &self,
        picks: &mut [Pick<'b>],
        seen: &BTreeSet<String>,
        (low, high): (u32, u32),
        uses: &dyn Fn(&Question) -> u32,
        allowed: impl Fn(&Pick<'b>, &Question) -> bool,
    ) {
        let distance = |total: i64| (i64::from(low) - total).max(total - i64::from(high)).max(0);
        loop {
            let total: i64 = picks.iter().map(|p| i64::from(p.question.minutes)).sum();
            let now = distance(total);
            if now == 0 {
                return;
            }
            let chosen: BTreeSet<&str> = picks.iter().map(|p| p.question.id.as_str()).collect();
            let mut best: Option<(i64, usize, &'b Question)> = None;
            for (i, pick) in picks.iter().enumerate() {
                if pick.reason.included {
                    continue;
                }
                for &candidate in &self.cells[&pick.reason.cell] {
                    if chosen.contains(candidate.id.as_str())
                        || seen.contains(&candidate.id)
                        || !allowed(pick, candidate)
                    {
                        continue;
                    }
                    let after = distance(
                        total - i64::from(pick.question.minutes) + i64::from(candidate.minutes),
                    );
                    if after < now && best.is_none_or(|(d, _, _)| after < d) {
                        best = Some((after, i, candidate));
                    }
                }
            }
            match best {
                Some((_, i, candidate)) => {
                    picks[i].question = candidate;
                    picks[i].reason.exposure = uses(candidate);
                }
                None => return,
            }
        }
    }
}

/// Fills `forms` kits in order, numbered from `first_form`, each after the `prior` kits
/// and the round's earlier ones, never with a question `seen(i)` lists. Kit `i` depends only
/// on kits before it, so adding candidates at the end of a roster never changes earlier kits.
pub fn round<'b>(
    plan: &Plan<'b>,
    first_form: u32,
    forms: usize,
    prior: &Earlier,
    seen: impl Fn(usize) -> (BTreeSet<String>, String),
) -> Result<Vec<Vec<Pick<'b>>>> {
    let mut exposure = prior.exposure().clone();
    let mut state = (plan.version != 1).then(|| v2::State::new(plan, prior));
    let mut kits = Vec::with_capacity(forms);
    for i in 0..forms {
        let (seen, who) = seen(i);
        let form = u32::try_from(i)
            .ok()
            .and_then(|i| first_form.checked_add(i))
            .ok_or_else(|| {
                Error::Conflict(
                    "too many kits for one seed; start a new round with another --seed".into(),
                )
            })?;
        let picks = match &mut state {
            Some(state) => state.draw(plan, form, &seen, &who)?,
            None => {
                let picks = plan.draw_v1(form, &exposure, &seen, &who)?;
                for pick in &picks {
                    *exposure.entry(pick.question.id.clone()).or_insert(0) += 1;
                }
                picks
            }
        };
        kits.push(picks);
    }
    Ok(kits)
}

/// How equal and how spread a round came out: the round's [`Forecast`].
pub type RoundSummary = Forecast;

/// Measures a round: see [`forecast`].
pub fn summarize(plan: &Plan<'_>, kits: &[Vec<Pick<'_>>], prior: &Earlier) -> RoundSummary {
    forecast(plan, kits, prior)
}

/// Every topic and level the bank has too few eligible questions for, all at once.
fn check_supply(blueprint: &Blueprint, cells: &BTreeMap<Cell, Vec<&Question>>) -> Result<()> {
    let available = |topic: Option<&str>, level: Option<Level>| -> usize {
        cells
            .iter()
            .filter(|((t, l), _)| topic.is_none_or(|x| x == t) && level.is_none_or(|x| x == *l))
            .map(|(_, qs)| qs.len())
            .sum()
    };
    let mut shortfalls = Vec::new();
    let mut short = |what: String, wanted: usize, have: usize| {
        if have < wanted {
            shortfalls.push(Shortfall {
                what,
                wanted,
                available: have,
            });
        }
    };
    for (topic, &wanted) in &blueprint.topics {
        short(
            format!("topic `{topic}`"),
            wanted as usize,
            available(Some(topic), None),
        );
    }
    for (topic, mix) in &blueprint.topic_levels {
        for (&level, &wanted) in mix {
            short(
                format!("topic `{topic}` level `{level}`"),
                wanted as usize,
                available(Some(topic), Some(level)),
            );
        }
    }
    for (&level, &wanted) in &blueprint.levels {
        short(
            format!("level `{level}` (over the blueprint's topics)"),
            wanted as usize,
            available(None, Some(level)),
        );
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
/// Included questions set a floor per cell and a topic's own level mix fixes its split.
/// Every other split of a topic over levels is a candidate, in a seeded order; without an
/// overall level mix the first candidate follows a seeded shuffle of the topic's pool, so
/// levels come out in proportion to what the bank holds. A depth-first search then takes
/// the first combination whose level totals are exact and whose shortest possible kit fits
/// the time budget.
/// A blueprint's eligible questions per cell and its includes: what both profile planners
/// (v1 and v2) read.
pub(super) struct Supply<'a, 'b> {
    cells: &'a BTreeMap<Cell, Vec<&'b Question>>,
    forced: &'a BTreeSet<&'a str>,
}

impl<'b> Supply<'_, 'b> {
    /// The eligible questions of (`topic`, `level`), none for an unknown cell.
    fn cell(&self, topic: &str, level: Level) -> &[&'b Question] {
        self.cells
            .get(&(topic.to_owned(), level))
            .map_or(&[][..], Vec::as_slice)
    }

    /// How many of the cell's questions the blueprint includes (the least it can take).
    fn floor(&self, topic: &str, level: Level) -> usize {
        self.cell(topic, level)
            .iter()
            .filter(|q| self.forced.contains(q.id.as_str()))
            .count()
    }

    /// Every (junior, mid, senior) split of `count` questions of `topic` within supply and
    /// above the include floors, in a fixed order (junior count, then mid, ascending).
    fn splits(&self, topic: &str, count: usize) -> Vec<[usize; 3]> {
        let low = Level::ALL.map(|l| self.floor(topic, l));
        let high = Level::ALL.map(|l| self.cell(topic, l).len());
        let mut splits = Vec::new();
        for j in low[0]..=high[0].min(count) {
            for m in low[1]..=high[1].min(count - j) {
                let s = count - j - m;
                if (low[2]..=high[2]).contains(&s) {
                    splits.push([j, m, s]);
                }
            }
        }
        splits
    }
}

/// The blueprint's overall level mix as (junior, mid, senior), if it gives one.
fn level_need(blueprint: &Blueprint) -> Option<[usize; 3]> {
    (!blueprint.levels.is_empty())
        .then(|| Level::ALL.map(|l| blueprint.levels.get(&l).copied().unwrap_or(0) as usize))
}

fn plan_profile(
    blueprint: &Blueprint,
    cells: &BTreeMap<Cell, Vec<&Question>>,
    forced: &BTreeSet<&str>,
    rng: &mut Stream,
) -> Result<BTreeMap<Cell, usize>> {
    let supply = Supply { cells, forced };
    let cell = |topic: &str, level: Level| supply.cell(topic, level);
    let floor = |topic: &str, level: Level| supply.floor(topic, level);
    let need = level_need(blueprint);
    // Fewest minutes a split can take: its cells' shortest questions.
    let cost = |topic: &str, split: &[usize; 3]| -> u32 {
        Level::ALL
            .iter()
            .zip(split)
            .map(|(&level, &n)| {
                let mut minutes: Vec<u32> = cell(topic, level).iter().map(|q| q.minutes).collect();
                minutes.sort_unstable();
                minutes.iter().take(n).sum::<u32>()
            })
            .sum()
    };

    let mut options: Vec<(&str, Vec<Split>)> = Vec::new();
    for (topic, &count) in &blueprint.topics {
        let count = count as usize;
        let low = Level::ALL.map(|l| floor(topic, l));
        let splits = if let Some(mix) = blueprint.topic_levels.get(topic) {
            vec![Level::ALL.map(|l| mix.get(&l).copied().unwrap_or(0) as usize)]
        } else {
            let high = Level::ALL.map(|l| cell(topic, l).len());
            let mut splits = supply.splits(topic, count);
            rng.shuffle(&mut splits);
            if need.is_none() {
                // The levels of the non-included questions, shuffled; the first ones fill the topic.
                let mut pool: Vec<usize> = (0..3)
                    .flat_map(|l| std::iter::repeat_n(l, high[l] - low[l]))
                    .collect();
                rng.shuffle(&mut pool);
                let mut first = low;
                for l in pool
                    .into_iter()
                    .take(count.saturating_sub(low.iter().sum()))
                {
                    first[l] += 1;
                }
                splits.retain(|s| *s != first);
                splits.insert(0, first);
            }
            splits
        };
        let costed = splits
            .into_iter()
            .map(|s| Split {
                levels: s,
                minutes: cost(topic, &s),
            })
            .collect();
        options.push((topic.as_str(), costed));
    }

    let search = Search {
        options: options.iter().map(|(_, s)| s.as_slice()).collect(),
        budget: blueprint.max_minutes.unwrap_or(u32::MAX),
        steps: 0,
    };
    let Some(chosen) = search.run(need) else {
        return Err(match blueprint.max_minutes {
            Some(budget) if need.is_none() || Search::exact(&options, need) => {
                Error::Conflict(format!(
                    "blueprint `{}` allows {budget} minutes but no kit it describes fits in them; raise `minutes` or ask for fewer questions",
                    blueprint.name
                ))
            }
            _ => Error::LevelMixInfeasible {
                blueprint: blueprint.name.clone(),
            },
        });
    };
    Ok(profile_of(options.iter().map(|(topic, _)| *topic), chosen))
}

/// The profile a choice of level splits makes, one split per topic in `topics` order: a cell
/// for each topic and level that draws at least one question.
fn profile_of<'a>(
    topics: impl Iterator<Item = &'a str>,
    chosen: Vec<[usize; 3]>,
) -> BTreeMap<Cell, usize> {
    let mut profile = BTreeMap::new();
    for (topic, split) in topics.zip(chosen) {
        for (l, level) in Level::ALL.into_iter().enumerate() {
            if split[l] > 0 {
                profile.insert((topic.to_owned(), level), split[l]);
            }
        }
    }
    profile
}

/// A topic's questions per level, and the fewest minutes they can take.
#[derive(Debug, Clone, Copy)]
struct Split {
    levels: [usize; 3],
    minutes: u32,
}

/// Depth-first search for one split per topic meeting the level totals and the time budget.
struct Search<'a> {
    options: Vec<&'a [Split]>,
    budget: u32,
    steps: usize,
}

impl Search<'_> {
    fn run(mut self, need: Option<[usize; 3]>) -> Option<Vec<[usize; 3]>> {
        let mut chosen = Vec::with_capacity(self.options.len());
        // Without a level mix any totals do: search against totals that cannot bind.
        let need = need.unwrap_or([usize::MAX / 4; 3]);
        let exact = need[0] != usize::MAX / 4;
        self.step(need, exact, 0, &mut chosen).then_some(chosen)
    }

    /// Whether the level mix alone (ignoring minutes) can be met: tells the two errors apart.
    fn exact(options: &[(&str, Vec<Split>)], need: Option<[usize; 3]>) -> bool {
        Search {
            options: options.iter().map(|(_, s)| s.as_slice()).collect(),
            budget: u32::MAX,
            steps: 0,
        }
        .run(need)
        .is_some()
    }

    fn step(
        &mut self,
        need: [usize; 3],
        exact: bool,
        minutes: u32,
        chosen: &mut Vec<[usize; 3]>,
    ) -> bool {
        let depth = chosen.len();
        if depth == self.options.len() {
            return (!exact || need == [0, 0, 0]) && minutes <= self.budget;
        }
        let rest = &self.options[depth..];
        // Prune: the remaining topics must still reach every level total and fit the budget.
        let reachable = |l: usize| -> usize {
            rest.iter()
                .map(|o| o.iter().map(|s| s.levels[l]).max().unwrap_or(0))
                .sum()
        };
        let cheapest: u32 = rest
            .iter()
            .map(|o| o.iter().map(|s| s.minutes).min().unwrap_or(0))
            .sum();
        if (exact && (0..3).any(|l| reachable(l) < need[l]))
            || minutes.saturating_add(cheapest) > self.budget
        {
            return false;
        }
        for split in self.options[depth] {
            self.steps += 1;
            if self.steps > PROFILE_SEARCH_LIMIT {
                return false;
            }
            if (0..3).all(|l| split.levels[l] <= need[l]) {
                chosen.push(split.levels);
                let left = [0, 1, 2].map(|l| need[l] - split.levels[l]);
                if self.step(left, exact, minutes + split.minutes, chosen) {
                    return true;
                }
                chosen.pop();
            }
        }
        false
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
        assert_eq!(unique.len(), bp.total());
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
        assert!(k <= 16 / 2);
    }

    /// The issue 14 targets on the built-in bank and default blueprint (the README table
    /// covers seeds 1-20; a few seeds here keep the debug test quick).
    #[test]
    fn default_rounds_keep_spread_one_and_overlap_targets() {
        let bank = Bank::builtin().unwrap();
        let bp = Blueprint::builtin(&bank).unwrap();
        for seed in [1, 7, 20] {
            let plan = Plan::new(&bank, &bp, seed).unwrap();
            let kits = round(&plan, 0, 30, &Earlier::default(), |i| {
                (BTreeSet::new(), format!("c{i}"))
            })
            .unwrap();
            for (size, most) in [(12, 2), (30, 3)] {
                let f = forecast(&plan, &kits[..size], &Earlier::default());
                assert!(f.max_overlap <= most, "seed {seed}, {size} kits: {f}");
                assert!(f.exposure_spread <= 1, "seed {seed}, {size} kits: {f}");
                assert_eq!(f.family_pairs, 0, "seed {seed}, {size} kits: {f}");
                let (low, high) = f.minutes_band;
                assert!(low <= f.minutes.0 && f.minutes.1 <= high, "{f}");
            }
        }
    }

    /// A kit's starts search in parallel: the kits must not depend on how many threads do it.
    #[test]
    fn kits_do_not_depend_on_how_many_threads_search() {
        let bank = Bank::builtin().unwrap();
        let bp = Blueprint::builtin(&bank).unwrap();
        let plan = Plan::new(&bank, &bp, 7).unwrap();
        let draw = |threads: usize| -> Vec<Vec<String>> {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let kits = pool.install(|| {
                round(&plan, 0, 25, &Earlier::default(), |i| {
                    (BTreeSet::new(), format!("c{i}"))
                })
                .unwrap()
            });
            kits.iter()
                .map(|k| k.iter().map(|p| p.question.id.clone()).collect())
                .collect()
        };
        let one = draw(1);
        assert_eq!(one, draw(3));
        assert_eq!(one, draw(8));
    }

    /// Ten questions over the headline topics with no minutes band: nothing competes with
    /// an even spread of exposure.
    fn unbanded(bank: &Bank) -> Blueprint {
        let text = "name = \"x\"\nrole = \"r\"\n[topics]\ngil-concurrency = 2\nmemory = 2\noop = 2\n\
                    testing = 2\ncode-quality = 2\n[levels]\njunior = 3\nmid = 4\nsenior = 3\n";
        Blueprint::parse("bp.toml", text, bank).unwrap()
    }

    #[test]
    fn a_round_spreads_exposure_and_shares_one_profile() {
        let bank = Bank::builtin().unwrap();
        let bp = unbanded(&bank);
        let plan = Plan::new(&bank, &bp, 7).unwrap();
        let kits = round(&plan, 0, 12, &Earlier::default(), |i| {
            (BTreeSet::new(), format!("c{i}"))
        })
        .unwrap();
        for kit in &kits {
            let mut profile: BTreeMap<Cell, usize> = BTreeMap::new();
            for pick in kit {
                *profile
                    .entry((pick.question.topic.clone(), pick.question.level))
                    .or_default() += 1;
            }
            assert_eq!(&profile, plan.profile());
        }
        let summary = summarize(&plan, &kits, &Earlier::default());
        assert!(summary.exposure_spread <= 1, "{summary:?}");
        let (low, high) = plan.minutes_band();
        assert!(
            low <= summary.minutes.0 && summary.minutes.1 <= high,
            "{summary:?} vs {low}-{high}"
        );
        // Prefix stability: the first kits do not depend on how many follow.
        let fewer = round(&plan, 0, 5, &Earlier::default(), |i| {
            (BTreeSet::new(), format!("c{i}"))
        })
        .unwrap();
        assert_eq!(fewer[..], kits[..5]);
        // Selection v1 shared 5 questions on this seed; v2 reaches the target of 2.
        assert!(summary.max_overlap <= 2, "{summary:?}");
        assert!(
            summary.mean_overlap <= summary.overlap_lower_bound + 0.02,
            "{summary:?}"
        );
    }

    #[test]
    fn the_default_blueprint_keeps_every_kit_of_a_round_within_its_hour() {
        let (bank, bp) = default();
        assert_eq!((bp.min_minutes, bp.max_minutes), (Some(55), Some(65)));
        for seed in [1, 7, 42] {
            let plan = Plan::new(&bank, &bp, seed).unwrap();
            assert_eq!(plan.minutes_band(), (55, 65));
            let kits = round(&plan, 0, 30, &Earlier::default(), |i| {
                (BTreeSet::new(), format!("c{i}"))
            })
            .unwrap();
            let summary = summarize(&plan, &kits, &Earlier::default());
            assert!(
                55 <= summary.minutes.0 && summary.minutes.1 <= 65,
                "{summary:?}"
            );
            assert_eq!(summary.family_pairs, 0);
        }
    }

    #[test]
    fn a_plan_replays_only_supported_versions() {
        let (bank, bp) = default();
        assert_eq!(Plan::with_version(&bank, &bp, 1, 1).unwrap().version(), 1);
        assert_eq!(
            Plan::new(&bank, &bp, 1).unwrap().version(),
            ALGORITHM_VERSION
        );
        let err = Plan::with_version(&bank, &bp, 1, 9)
            .unwrap_err()
            .to_string();
        assert!(err.contains("selection algorithm v9 is unknown"), "{err}");
    }

    #[test]
    fn overlap_index_matches_comparing_every_pair() {
        let (bank, bp) = default();
        let plan = Plan::new(&bank, &bp, 5).unwrap();
        let kits = round(&plan, 0, 40, &Earlier::default(), |i| {
            (BTreeSet::new(), format!("c{i}"))
        })
        .unwrap();
        let sets: Vec<BTreeSet<&str>> = kits
            .iter()
            .map(|k| k.iter().map(|p| p.question.id.as_str()).collect())
            .collect();
        let brute = (0..sets.len())
            .flat_map(|i| (i + 1..sets.len()).map(move |j| (i, j)))
            .map(|(i, j)| sets[i].intersection(&sets[j]).count())
            .max()
            .unwrap();
        assert_eq!(
            summarize(&plan, &kits, &Earlier::default()).max_overlap,
            brute
        );
        assert!(brute > 0, "40 kits over this bank must share something");
    }

    #[test]
    fn history_is_respected() {
        let (bank, bp) = default();
        let plan = Plan::new(&bank, &bp, 3).unwrap();
        let first = plan
            .draw(0, &Earlier::default(), &BTreeSet::new(), "Ada")
            .unwrap();
        let seen: BTreeSet<String> = first.iter().map(|p| p.question.id.clone()).collect();
        let again = plan.draw(0, &Earlier::default(), &seen, "Ada").unwrap();
        assert!(again.iter().all(|p| !seen.contains(&p.question.id)));
    }

    #[test]
    fn time_budget_is_respected() {
        let bank = Bank::builtin().unwrap();
        let text = "name = \"screen\"\nrole = \"r\"\nminutes = 20\n[topics]\noop = 1\ntesting = 1\nmemory = 1\n";
        let bp = Blueprint::parse("bp.toml", text, &bank).unwrap();
        for seed in 0..30 {
            let minutes: u32 = select(&bank, &bp, seed, 0)
                .unwrap()
                .iter()
                .map(|q| q.minutes)
                .sum();
            assert!(minutes <= 20, "seed {seed}: {minutes}");
        }
    }

    #[test]
    fn included_questions_are_always_there() {
        let bank = Bank::builtin().unwrap();
        let text = "name = \"x\"\nrole = \"r\"\ninclude = [\"oop-super-mro\"]\n[topics]\noop = 2\ntesting = 1\n";
        let bp = Blueprint::parse("bp.toml", text, &bank).unwrap();
        for seed in 0..20 {
            assert!(
                select(&bank, &bp, seed, 0)
                    .unwrap()
                    .iter()
                    .any(|q| q.id == "oop-super-mro")
            );
        }
    }
}
