//! Selection algorithms v2 and v3: a profile chosen for the least overlap, and kits
//! assembled by a bounded, seeded local search against every earlier kit.
//!
//! The profile minimises the expected overlap of two kits, Σ count² / cell size over the
//! profile's cells (spreading draws over the largest cells), among the splits that meet the
//! blueprint's topic counts, level mix, includes and minutes. Each kit then starts from the
//! least-used questions of every cell and improves by swapping one question for another of
//! its cell, always taking the swap that most improves, in order: minutes inside the band,
//! no cell's exposure spread above 2, the largest overlap with any earlier kit, how many
//! earlier kits reach it, the sum of the squared overlaps, no cell's spread above 1, then
//! the total exposure. Version 3 puts the spread of 1 right after the largest overlap
//! counted only above [`tolerated_overlap`] (the least the round could reach, plus
//! [`OVERLAP_SLACK`]): every cell's spread stays at 1 unless that would push the overlap
//! past it. Inside
//! the band the seed, not the length, decides between equals, so kits of different rounds
//! do not all favour the questions of average length. Families and `[at_most]` caps are
//! never broken. The search has a fixed budget of evaluated swaps,
//! so a seed gives the same kits on any machine; no clock is read.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::{Cell, Earlier, Pick, Plan, Reason, Stream};
use crate::bank::{Level, Question};
use crate::error::{Error, Result, Shortfall};

/// How far (as a fraction) a kit may stray from its target minutes when the blueprint
/// gives no `minutes = { min, max }` band of its own.
pub const TOLERANCE: f64 = 0.10;

/// Profile combinations examined at most; real blueprints need a few hundred.
const PROFILE_BUDGET: usize = 200_000;

/// Swaps evaluated at most per kit, over all its starts. Fixed, so the result never
/// depends on the machine.
pub const SWAP_BUDGET: usize = 24_000;

/// Seeded starting kits each kit's search tries (each with an equal share of the budget);
/// the best result wins, the earliest start on a tie.
pub const STARTS: usize = 8;

/// Exposure spread within a cell that only the minutes band may push a kit past: the
/// overlap is minimised within it, then the spread brought down to 1 where that costs no overlap.
pub const HARD_SPREAD: u64 = 2;

/// Version 3: how far above the round's least possible maximum overlap a kit may go to
/// keep every cell's exposure spread at 1 (2 keeps rounds of 12 at 2 and of 30 at 3 on the
/// built-in bank; 1 breaks the spread in rounds of 30, see README).
pub const OVERLAP_SLACK: usize = 2;

/// The two spread limits the search weighs (see [`HARD_SPREAD`]).
const SLACK: [u64; 2] = [HARD_SPREAD, 1];

/// Steps of the search for a first kit that keeps families apart and caps honoured.
const START_BUDGET: usize = 20_000;

/// The band every kit of a v2 plan must (explicit `min`/`max`) or should (otherwise) meet.
pub(super) fn minutes_band(plan: &Plan<'_>) -> (u32, u32) {
    if let (Some(low), Some(high)) = (plan.min_minutes, plan.max_minutes) {
        return (low, high);
    }
    let expected = expected_minutes(plan);
    let mut low = (expected * (1.0 - TOLERANCE)).floor() as u32;
    let mut high = (expected * (1.0 + TOLERANCE)).ceil() as u32;
    if let Some(max) = plan.max_minutes {
        high = high.min(max);
        low = low.min(high);
    }
    if let Some(min) = plan.min_minutes {
        low = low.max(min);
        high = high.max(low);
    }
    (low, high)
}

/// Count × mean minutes of each cell of the profile.
fn expected_minutes(plan: &Plan<'_>) -> f64 {
    plan.profile
        .iter()
        .map(|(cell, &count)| mean_minutes(&plan.cells[cell]) * count as f64)
        .sum()
}

fn mean_minutes(qs: &[&Question]) -> f64 {
    qs.iter().map(|q| f64::from(q.minutes)).sum::<f64>() / qs.len().max(1) as f64
}

/// A topic's questions per level, with what the profile search weighs.
#[derive(Debug, Clone, Copy)]
struct Split {
    levels: [usize; 3],
    /// Expected overlap two kits get from this split (included questions count fully).
    overlap: f64,
    /// Count × mean minutes.
    expected: f64,
    /// Shortest and longest the split's questions can take.
    shortest: u32,
    longest: u32,
}

/// Chooses the profile with the least expected overlap (see the module docs).
pub(super) fn plan_profile(
    blueprint: &super::Blueprint,
    cells: &BTreeMap<Cell, Vec<&Question>>,
    forced: &BTreeSet<&str>,
    rng: &mut Stream,
) -> Result<BTreeMap<Cell, usize>> {
    let supply = super::Supply { cells, forced };
    let cell = |topic: &str, level: Level| supply.cell(topic, level);
    let floor = |topic: &str, level: Level| supply.floor(topic, level);
    let need = super::level_need(blueprint);
    let split = |topic: &str, levels: [usize; 3]| -> Split {
        let mut s = Split {
            levels,
            overlap: 0.0,
            expected: 0.0,
            shortest: 0,
            longest: 0,
        };
        for (l, level) in Level::ALL.into_iter().enumerate() {
            let qs = cell(topic, level);
            let (n, f) = (levels[l], floor(topic, level));
            let free = qs.len().saturating_sub(f);
            s.overlap += f as f64;
            if free > 0 {
                s.overlap += ((n - f) * (n - f)) as f64 / free as f64;
            }
            s.expected += mean_minutes(qs) * n as f64;
            let mut minutes: Vec<u32> = qs.iter().map(|q| q.minutes).collect();
            minutes.sort_unstable();
            s.shortest += minutes.iter().take(n).sum::<u32>();
            s.longest += minutes.iter().rev().take(n).sum::<u32>();
        }
        s
    };

    let mut options: Vec<(&str, Vec<Split>)> = Vec::new();
    for (topic, &count) in &blueprint.topics {
        let mut splits = match blueprint.topic_levels.get(topic) {
            Some(mix) => vec![Level::ALL.map(|l| mix.get(&l).copied().unwrap_or(0) as usize)],
            None => supply.splits(topic, count as usize),
        };
        // Seeded order among equals, least expected overlap first.
        rng.shuffle(&mut splits);
        let mut costed: Vec<Split> = splits.into_iter().map(|s| split(topic, s)).collect();
        costed.sort_by(|a, b| a.overlap.total_cmp(&b.overlap));
        options.push((topic.as_str(), costed));
    }

    let mut search = Search {
        options: options.iter().map(|(_, s)| s.as_slice()).collect(),
        band: (blueprint.min_minutes, blueprint.max_minutes),
        exact: need.is_some(),
        steps: 0,
        chosen: Vec::new(),
        best: None,
    };
    search.step(need.unwrap_or([usize::MAX / 4; 3]), Totals::default());
    let Some((_, chosen)) = search.best else {
        let mut loose = Search {
            band: (None, None),
            steps: 0,
            chosen: Vec::new(),
            best: None,
            ..search
        };
        loose.step(need.unwrap_or([usize::MAX / 4; 3]), Totals::default());
        return Err(if loose.best.is_some() || need.is_none() {
            Error::Conflict(format!(
                "blueprint `{}` asks for {} but no kit it describes can take that long; change `minutes` or the counts",
                blueprint.name,
                band_words(blueprint.min_minutes, blueprint.max_minutes)
            ))
        } else {
            Error::LevelMixInfeasible {
                blueprint: blueprint.name.clone(),
            }
        });
    };
    Ok(super::profile_of(
        options.iter().map(|(topic, _)| *topic),
        chosen,
    ))
}

/// `55 to 65 minutes`, `at most 65 minutes`, `at least 55 minutes`.
pub(super) fn band_words(min: Option<u32>, max: Option<u32>) -> String {
    match (min, max) {
        (Some(low), Some(high)) => format!("{low} to {high} minutes"),
        (None, Some(high)) => format!("at most {high} minutes"),
        (Some(low), None) => format!("at least {low} minutes"),
        (None, None) => "any length".to_owned(),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    overlap: f64,
    expected: f64,
    shortest: u32,
    longest: u32,
}

/// (distance of the expected minutes from the band, expected overlap): smaller is better.
type Score = (f64, f64);

/// Branch and bound over one split per topic: exact level totals, a kit that can fit the
/// minutes, then the least (distance of the expected minutes from the band, expected overlap).
struct Search<'a> {
    options: Vec<&'a [Split]>,
    band: (Option<u32>, Option<u32>),
    exact: bool,
    steps: usize,
    chosen: Vec<[usize; 3]>,
    best: Option<(Score, Vec<[usize; 3]>)>,
}

impl Search<'_> {
    fn miss(&self, low: f64, high: f64) -> f64 {
        let min = self.band.0.map_or(0.0, f64::from);
        let max = self.band.1.map_or(f64::INFINITY, f64::from);
        (min - high).max(low - max).max(0.0)
    }

    fn step(&mut self, need: [usize; 3], at: Totals) {
        let depth = self.chosen.len();
        let rest = &self.options[depth..];
        let fold = |f: &dyn Fn(&Split) -> f64, pick: fn(f64, f64) -> f64, start: f64| -> f64 {
            rest.iter()
                .map(|o| o.iter().map(f).fold(start, pick))
                .sum::<f64>()
        };
        let least_overlap = fold(&|s| s.overlap, f64::min, f64::INFINITY);
        let (least_expected, most_expected) = (
            fold(&|s| s.expected, f64::min, f64::INFINITY),
            fold(&|s| s.expected, f64::max, 0.0),
        );
        let shortest = fold(&|s| f64::from(s.shortest), f64::min, f64::INFINITY);
        let longest = fold(&|s| f64::from(s.longest), f64::max, 0.0);
        let reachable = |l: usize| -> usize {
            rest.iter()
                .map(|o| o.iter().map(|s| s.levels[l]).max().unwrap_or(0))
                .sum()
        };
        if (self.exact && (0..3).any(|l| reachable(l) < need[l]))
            || self
                .band
                .1
                .is_some_and(|max| f64::from(at.shortest) + shortest > f64::from(max))
            || self
                .band
                .0
                .is_some_and(|min| f64::from(at.longest) + longest < f64::from(min))
        {
            return;
        }
        let bound = (
            self.miss(at.expected + least_expected, at.expected + most_expected),
            at.overlap + least_overlap,
        );
        if let Some((best, _)) = &self.best
            && bound >= *best
        {
            return;
        }
        if depth == self.options.len() {
            if !self.exact || need == [0, 0, 0] {
                let key = (self.miss(at.expected, at.expected), at.overlap);
                self.best = Some((key, self.chosen.clone()));
            }
            return;
        }
        for split in self.options[depth] {
            self.steps += 1;
            if self.steps > PROFILE_BUDGET {
                return;
            }
            if (0..3).all(|l| split.levels[l] <= need[l]) {
                self.chosen.push(split.levels);
                let left = [0, 1, 2].map(|l| need[l] - split.levels[l]);
                let next = Totals {
                    overlap: at.overlap + split.overlap,
                    expected: at.expected + split.expected,
                    shortest: at.shortest + split.shortest,
                    longest: at.longest + split.longest,
                };
                self.step(left, next);
                self.chosen.pop();
            }
        }
    }
}

/// The round so far, indexed for fast swaps: which earlier kits used each question.
pub(super) struct State<'b> {
    /// The profile's questions, cell by cell, each cell in id order.
    qs: Vec<&'b Question>,
    index: BTreeMap<&'b str, usize>,
    /// Per cell: the cell, how many it wants, and its questions' index range.
    cells: Vec<(Cell, usize, std::ops::Range<usize>)>,
    cell_of: Vec<usize>,
    family: Vec<Option<usize>>,
    caps: Vec<Vec<usize>>,
    cap_max: Vec<u32>,
    forced: Vec<bool>,
    /// Earlier kits (by number) that used each question.
    users: Vec<Vec<u32>>,
    /// Earlier uses of each question: history plus the kits so far.
    uses: Vec<u64>,
    kits: u32,
}

/// What a kit's search compares, most important first; smaller is better.
type Key = [u64; 8];

/// A start's outcome: its final key, its kit, and its cells' questions in its order.
type Tried = (Key, Kit, Vec<Vec<usize>>);

impl<'b> State<'b> {
    /// Indexes `plan`'s questions and the `earlier` kits.
    pub(super) fn new(plan: &Plan<'b>, earlier: &Earlier) -> State<'b> {
        let mut qs = Vec::new();
        let mut cells = Vec::new();
        for (cell, &wanted) in &plan.profile {
            let start = qs.len();
            qs.extend(plan.cells[cell].iter().copied());
            cells.push((cell.clone(), wanted, start..qs.len()));
        }
        let index: BTreeMap<&str, usize> = qs
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        let mut cell_of = vec![0; qs.len()];
        for (c, (_, _, range)) in cells.iter().enumerate() {
            for i in range.clone() {
                cell_of[i] = c;
            }
        }
        let mut families: BTreeMap<&str, usize> = BTreeMap::new();
        let family = qs
            .iter()
            .map(|q| {
                q.family.as_deref().map(|f| {
                    let next = families.len();
                    *families.entry(f).or_insert(next)
                })
            })
            .collect();
        let mut caps = vec![Vec::new(); qs.len()];
        for (c, (_, ids)) in plan.caps.iter().enumerate() {
            for id in ids {
                if let Some(&i) = index.get(id) {
                    caps[i].push(c);
                }
            }
        }
        let forced = qs
            .iter()
            .map(|q| plan.forced.contains(q.id.as_str()))
            .collect();
        let uses = qs
            .iter()
            .map(|q| u64::from(earlier.exposure().get(&q.id).copied().unwrap_or(0)))
            .collect();
        let mut state = State {
            users: vec![Vec::new(); qs.len()],
            uses,
            cap_max: plan.caps.iter().map(|(max, _)| *max).collect(),
            qs,
            index,
            cells,
            cell_of,
            family,
            caps,
            forced,
            kits: 0,
        };
        // The earlier kits' uses are already in the exposure.
        for kit in earlier.kits() {
            let ids: Vec<usize> = kit
                .iter()
                .filter_map(|id| state.index.get(id.as_str()).copied())
                .collect();
            state.push(&ids, false);
        }
        state
    }

    /// Records a kit (question indices) as the latest earlier kit, counting its uses if `count`.
    fn push(&mut self, kit: &[usize], count: bool) {
        for &q in kit {
            self.users[q].push(self.kits);
            self.uses[q] += u64::from(count);
        }
        self.kits += 1;
    }

    /// Draws kit `form` (see the module docs) and records it.
    pub(super) fn draw(
        &mut self,
        plan: &Plan<'b>,
        form: u32,
        seen: &BTreeSet<String>,
        who: &str,
    ) -> Result<Vec<Pick<'b>>> {
        let mut rng = Stream::new(2, &format!("form/{form}"), plan.seed);
        let eligible: Vec<bool> = self.qs.iter().map(|q| !seen.contains(&q.id)).collect();
        if let Some(q) = (0..self.qs.len()).find(|&q| self.forced[q] && !eligible[q]) {
            return Err(Error::Conflict(format!(
                "{who} has already seen `{}`, which the blueprint includes in every kit; drop it from `include`",
                self.qs[q].id
            )));
        }
        let uses = self.uses.clone();
        let mut shortfalls = Vec::new();
        for (cell, wanted, range) in &self.cells {
            let available = range.clone().filter(|&q| eligible[q]).count();
            if available < *wanted {
                shortfalls.push(Shortfall {
                    what: format!(
                        "topic `{}` level `{}` (after {who}'s history)",
                        cell.0, cell.1
                    ),
                    wanted: *wanted,
                    available,
                });
            }
        }
        if !shortfalls.is_empty() {
            return Err(Error::Shortfall {
                blueprint: format!("{} (for {who})", plan.blueprint_name),
                shortfalls,
            });
        }
        let band = minutes_band(plan);
        let hard = plan.min_minutes.is_some() || plan.max_minutes.is_some();
        let tolerated =
            (plan.version >= 3).then(|| tolerated_overlap(plan, self.kits as usize + 1));
        // Each start's seeded keys are drawn in turn from the kit's stream; the starts
        // themselves are independent, so they search in parallel, and the best is chosen
        // in start order (the earliest on a tie) whatever the threads did.
        let starts: Vec<Vec<u64>> = (0..STARTS)
            .map(|_| self.qs.iter().map(|_| rng.next_u64()).collect())
            .collect();
        let state: &State<'b> = self;
        let tried: Vec<Option<Tried>> = starts
            .par_iter()
            .map(|keys| {
                // Per cell, the eligible questions by (uses, seeded key): this start's first choice.
                let order: Vec<Vec<usize>> = state
                    .cells
                    .iter()
                    .map(|(_, _, range)| {
                        let mut pool: Vec<usize> = range.clone().filter(|&q| eligible[q]).collect();
                        pool.sort_by_key(|&q| (!state.forced[q], uses[q], keys[q], q));
                        pool
                    })
                    .collect();
                let mut kit = Kit::start(state, &order, &uses, band, tolerated)?;
                let key = kit.improve(state, &order, &uses, SWAP_BUDGET / STARTS);
                Some((key, kit, order))
            })
            .collect();
        let mut best: Option<Tried> = None;
        for (key, kit, order) in tried.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| key < b.0) {
                best = Some((key, kit, order));
            }
        }
        let (_, kit, order) = best.ok_or_else(|| {
            Error::Conflict(format!(
                "no kit for {who} keeps questions of one family apart and within the blueprint's `at_most` caps; \
                 lower a cap, or ask the bank for more questions in the short cells"
            ))
        })?;
        let total = kit.minutes;
        if hard && !(band.0..=band.1).contains(&total) {
            return Err(Error::Conflict(format!(
                "no kit for {who} fits the blueprint's {} (the closest takes {total}); \
                 widen `minutes`, change the counts, or add questions of other lengths to the bank",
                band_words(plan.min_minutes, plan.max_minutes)
            )));
        }
        let chosen = kit.chosen.clone();
        self.push(&chosen, true);
        let mut picks: Vec<Pick<'b>> = chosen
            .iter()
            .map(|&q| {
                let c = self.cell_of[q];
                let (cell, wanted, _) = &self.cells[c];
                Pick {
                    question: self.qs[q],
                    reason: Reason {
                        cell: cell.clone(),
                        wanted: *wanted,
                        eligible: order[c].len(),
                        exposure: uses[q] as u32,
                        least_exposure: order[c].iter().map(|&e| uses[e]).min().unwrap_or(0) as u32,
                        included: self.forced[q],
                    },
                }
            })
            .collect();
        // Interview order: level (junior first), then topic, then id.
        picks.sort_by(|a, b| {
            (a.question.level, &a.question.topic, &a.question.id).cmp(&(
                b.question.level,
                &b.question.topic,
                &b.question.id,
            ))
        });
        Ok(picks)
    }
}

/// One kit under construction, with the counters its swaps update.
struct Kit {
    /// Chosen question indices, cell by cell.
    chosen: Vec<usize>,
    picked: Vec<bool>,
    families: BTreeMap<usize, u32>,
    caps: Vec<u32>,
    minutes: u32,
    band: (u32, u32),
    /// Questions shared with each earlier kit, how many earlier kits share each count, and
    /// the sum of the squared counts.
    shared: Vec<u32>,
    hist: Vec<u32>,
    squares: u64,
    /// Per cell: how many of its questions have each (uses + picked) value, and its spread
    /// before this kit.
    spread: Vec<BTreeMap<u64, u32>>,
    spread_before: Vec<u64>,
    /// Σ over cells of how far the spread exceeds max(`slack`, its spread before this kit),
    /// for slack [`HARD_SPREAD`] and 1.
    excess: [u64; 2],
    /// Version 3: the largest overlap with an earlier kit that the search accepts to keep
    /// every cell's spread at 1 (see [`tolerated_overlap`]); `None` for version 2.
    tolerated: Option<u64>,
}

impl Kit {
    /// The least-used questions of every cell that keep families apart and caps honoured
    /// (a bounded depth-first search), with the counters set up.
    fn start(
        state: &State<'_>,
        order: &[Vec<usize>],
        uses: &[u64],
        band: (u32, u32),
        tolerated: Option<u64>,
    ) -> Option<Kit> {
        let slots: Vec<usize> = state
            .cells
            .iter()
            .enumerate()
            .flat_map(|(c, (_, wanted, _))| std::iter::repeat_n(c, *wanted))
            .collect();
        let mut kit = Kit {
            chosen: Vec::with_capacity(slots.len()),
            picked: vec![false; state.qs.len()],
            families: BTreeMap::new(),
            caps: vec![0; state.cap_max.len()],
            minutes: 0,
            band,
            shared: vec![0; state.kits as usize],
            hist: vec![0; slots.len() + 2],
            squares: 0,
            spread: Vec::new(),
            spread_before: Vec::new(),
            excess: [0; 2],
            tolerated,
        };
        let mut steps = 0;
        // Position in its cell's order of each slot's choice, so a cell's slots pick in order.
        let mut at: Vec<usize> = Vec::with_capacity(slots.len());
        if !kit.fill(state, order, &slots, &mut at, &mut steps) {
            return None;
        }
        kit.hist[0] = state.kits;
        for i in 0..kit.chosen.len() {
            for &j in &state.users[kit.chosen[i]] {
                kit.bump(j as usize, true);
            }
        }
        for (_, _, range) in &state.cells {
            let mut counts = BTreeMap::new();
            for q in range.clone() {
                *counts.entry(uses[q]).or_insert(0) += 1;
            }
            kit.spread_before.push(spread_of(&counts));
            for q in range.clone().filter(|&q| kit.picked[q]) {
                move_count(&mut counts, uses[q], uses[q] + 1);
            }
            let before = *kit.spread_before.last().unwrap_or(&0);
            kit.excess = [0, 1].map(|i| kit.excess[i] + excess(&counts, before, SLACK[i]));
            kit.spread.push(counts);
        }
        Some(kit)
    }

    fn fill(
        &mut self,
        state: &State<'_>,
        order: &[Vec<usize>],
        slots: &[usize],
        at: &mut Vec<usize>,
        steps: &mut usize,
    ) -> bool {
        let depth = self.chosen.len();
        let Some(&c) = slots.get(depth) else {
            return true;
        };
        let from = match depth.checked_sub(1) {
            Some(prev) if slots[prev] == c => at[prev] + 1,
            _ => 0,
        };
        for (p, &q) in order[c].iter().enumerate().skip(from) {
            *steps += 1;
            if *steps > START_BUDGET {
                return false;
            }
            // A cell's included questions sort first and must all be taken.
            if p > from && state.forced[order[c][from]] {
                return false;
            }
            if !self.allowed(state, q) {
                continue;
            }
            self.take(state, q);
            at.push(p);
            if self.fill(state, order, slots, at, steps) {
                return true;
            }
            at.pop();
            self.drop_last(state);
        }
        false
    }

    /// Whether `q` may join the kit as it is now (families apart, caps honoured).
    fn allowed(&self, state: &State<'_>, q: usize) -> bool {
        if self.picked[q] {
            return false;
        }
        if let Some(f) = state.family[q]
            && self.families.get(&f).copied().unwrap_or(0) > 0
        {
            return false;
        }
        state.caps[q]
            .iter()
            .all(|&c| self.caps[c] < state.cap_max[c])
    }

    fn take(&mut self, state: &State<'_>, q: usize) {
        self.chosen.push(q);
        self.picked[q] = true;
        self.minutes += state.qs[q].minutes;
        if let Some(f) = state.family[q] {
            *self.families.entry(f).or_insert(0) += 1;
        }
        for &c in &state.caps[q] {
            self.caps[c] += 1;
        }
    }

    fn drop_last(&mut self, state: &State<'_>) {
        let Some(q) = self.chosen.pop() else {
            return;
        };
        self.picked[q] = false;
        self.minutes -= state.qs[q].minutes;
        if let Some(f) = state.family[q] {
            *self.families.entry(f).or_insert(1) -= 1;
        }
        for &c in &state.caps[q] {
            self.caps[c] -= 1;
        }
    }

    /// Moves earlier kit `j` one shared question up or down.
    fn bump(&mut self, j: usize, up: bool) {
        let v = self.shared[j] as usize;
        self.hist[v] -= 1;
        let w = if up { v + 1 } else { v - 1 };
        self.shared[j] = w as u32;
        self.hist[w] += 1;
        self.squares = self.squares + (w * w) as u64 - (v * v) as u64;
    }

    fn key(&self, state: &State<'_>, uses: &[u64]) -> Key {
        let distance = |total: u32, (low, high): (u32, u32)| -> u64 {
            u64::from(low.saturating_sub(total).max(total.saturating_sub(high)))
        };
        let top = self.hist.iter().rposition(|&n| n > 0).unwrap_or(0) as u64;
        let at_top = if state.kits == 0 || top == 0 {
            0
        } else {
            u64::from(self.hist[top as usize])
        };
        let minutes = distance(self.minutes, self.band);
        let uses = self.chosen.iter().map(|&q| uses[q]).sum();
        match self.tolerated {
            // Version 2: the overlap before a spread of 1.
            None => [
                minutes,
                self.excess[0],
                top,
                at_top,
                self.squares,
                self.excess[1],
                uses,
                0,
            ],
            // Version 3: a spread of 1 before any overlap up to `tolerated`.
            Some(tolerated) => [
                minutes,
                self.excess[0],
                top.max(tolerated),
                self.excess[1],
                top,
                at_top,
                self.squares,
                uses,
            ],
        }
    }

    /// Replaces chosen slot `slot` by `q` (no checks), updating every counter.
    fn swap(&mut self, state: &State<'_>, uses: &[u64], slot: usize, q: usize) {
        self.leave(state, uses, slot);
        self.join(state, uses, slot, q);
    }

    /// Takes the question of slot `slot` out of the kit, updating every counter; the slot
    /// is empty until [`Kit::join`] fills it (its `chosen` entry is stale until then).
    fn leave(&mut self, state: &State<'_>, uses: &[u64], slot: usize) {
        let out = self.chosen[slot];
        self.picked[out] = false;
        self.minutes -= state.qs[out].minutes;
        if let Some(f) = state.family[out] {
            *self.families.entry(f).or_insert(1) -= 1;
        }
        for &c in &state.caps[out] {
            self.caps[c] -= 1;
        }
        for &j in &state.users[out] {
            self.bump(j as usize, false);
        }
        self.move_use(state, uses, out, false);
    }

    /// Puts `q` into the empty slot `slot` (no checks), updating every counter.
    fn join(&mut self, state: &State<'_>, uses: &[u64], slot: usize, q: usize) {
        self.chosen[slot] = q;
        self.picked[q] = true;
        self.minutes += state.qs[q].minutes;
        if let Some(f) = state.family[q] {
            *self.families.entry(f).or_insert(0) += 1;
        }
        for &c in &state.caps[q] {
            self.caps[c] += 1;
        }
        for &j in &state.users[q] {
            self.bump(j as usize, true);
        }
        self.move_use(state, uses, q, true);
    }

    /// Counts `q` as picked by this kit (`up`) or no longer, in its cell's spread.
    fn move_use(&mut self, state: &State<'_>, uses: &[u64], q: usize, up: bool) {
        let c = state.cell_of[q];
        let counts = &mut self.spread[c];
        let spread = self.spread_before[c];
        let before = SLACK.map(|slack| excess(counts, spread, slack));
        match up {
            true => move_count(counts, uses[q], uses[q] + 1),
            false => move_count(counts, uses[q] + 1, uses[q]),
        }
        self.excess = [0, 1].map(|i| self.excess[i] + excess(counts, spread, SLACK[i]) - before[i]);
    }

    /// Steepest descent over single swaps within a cell, within `budget` evaluations;
    /// returns the final key.
    fn improve(
        &mut self,
        state: &State<'_>,
        order: &[Vec<usize>],
        uses: &[u64],
        budget: usize,
    ) -> Key {
        let mut evaluated = 0;
        let mut now = self.key(state, uses);
        loop {
            let mut best: Option<(Key, usize, usize)> = None;
            for slot in 0..self.chosen.len() {
                let out = self.chosen[slot];
                if state.forced[out] {
                    continue;
                }
                // `out` leaves once for all the slot's candidates (not once per candidate),
                // and comes back after them.
                self.leave(state, uses, slot);
                let mut spent = false;
                for &q in &order[state.cell_of[out]] {
                    if q == out || !self.allowed(state, q) {
                        continue;
                    }
                    if evaluated == budget {
                        spent = true;
                        break;
                    }
                    evaluated += 1;
                    self.join(state, uses, slot, q);
                    let key = self.key(state, uses);
                    self.leave(state, uses, slot);
                    if key < best.map_or(now, |b| b.0) {
                        best = Some((key, slot, q));
                    }
                }
                self.join(state, uses, slot, out);
                if spent {
                    break;
                }
            }
            match best {
                Some((key, slot, q)) => {
                    self.swap(state, uses, slot, q);
                    now = key;
                }
                None => return now,
            }
        }
    }
}

/// Version 3: the overlap a kit may reach with an earlier kit to keep every cell's exposure
/// spread at most 1: [`OVERLAP_SLACK`] above the least maximum overlap a round of `kits`
/// kits (this one included) can have. Beyond it the overlap comes first again and the
/// spread may reach [`HARD_SPREAD`]. It depends only on the kits so far (prefix stability).
fn tolerated_overlap(plan: &Plan<'_>, kits: usize) -> u64 {
    (super::max_overlap_lower_bound(plan, kits) + OVERLAP_SLACK) as u64
}

/// How far a cell's spread exceeds max(`slack`, `before`).
fn excess(counts: &BTreeMap<u64, u32>, before: u64, slack: u64) -> u64 {
    spread_of(counts).saturating_sub(before.max(slack))
}

fn spread_of(counts: &BTreeMap<u64, u32>) -> u64 {
    match (counts.keys().next(), counts.keys().next_back()) {
        (Some(low), Some(high)) => high - low,
        _ => 0,
    }
}

fn move_count(counts: &mut BTreeMap<u64, u32>, from: u64, to: u64) {
    if let Some(n) = counts.get_mut(&from) {
        *n -= 1;
        if *n == 0 {
            counts.remove(&from);
        }
    }
    *counts.entry(to).or_insert(0) += 1;
}
