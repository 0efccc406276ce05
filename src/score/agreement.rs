//! How far two interviewers agree on the same questions: mean absolute difference and quadratic-weighted kappa.

use crate::rubric::LEVELS;

/// Mean absolute difference between paired scores, in rubric levels; `None` for no pairs.
///
/// `MAD = Σ |aᵢ − bᵢ| / n` over the n questions both interviewers scored.
pub fn mean_absolute_difference(pairs: &[(u8, u8)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let sum: u32 = pairs.iter().map(|&(a, b)| u32::from(a.abs_diff(b))).sum();
    Some(f64::from(sum) / pairs.len() as f64)
}

/// Cohen's kappa with quadratic weights over the rubric's `k` = 4 levels.
///
/// With `O[i][j]` the share of questions scored `i` by the first interviewer and `j` by
/// the second, `E[i][j] = rowᵢ · colⱼ` the share chance alone would give (the product of
/// each interviewer's own score distribution) and `w[i][j] = (i − j)² / (k − 1)²` the cost
/// of a disagreement:
///
/// `κ = 1 − Σ w·O / Σ w·E`
///
/// 1 is perfect agreement, 0 is what chance gives, below 0 is worse than chance. `None`
/// when there are no pairs or when chance predicts no disagreement at all (both
/// interviewers gave every question the same one level), where kappa is undefined.
pub fn weighted_kappa(pairs: &[(u8, u8)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let k = LEVELS;
    let n = pairs.len() as f64;
    let mut observed = vec![vec![0.0f64; k]; k];
    for &(a, b) in pairs {
        let (i, j) = (
            usize::from(a).checked_sub(1)?,
            usize::from(b).checked_sub(1)?,
        );
        *observed.get_mut(i)?.get_mut(j)? += 1.0 / n;
    }
    let rows: Vec<f64> = observed.iter().map(|row| row.iter().sum()).collect();
    let cols: Vec<f64> = (0..k)
        .map(|j| observed.iter().map(|r| r[j]).sum())
        .collect();
    let weight = |i: usize, j: usize| {
        let d = i.abs_diff(j) as f64;
        d * d / ((k - 1) as f64).powi(2)
    };
    let mut disagreement = 0.0;
    let mut chance = 0.0;
    for i in 0..k {
        for j in 0..k {
            disagreement += weight(i, j) * observed[i][j];
            chance += weight(i, j) * rows[i] * cols[j];
        }
    }
    if chance.abs() < 1e-12 {
        return None;
    }
    Some(1.0 - disagreement / chance)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-checked: interviewer A scores 1, 2, 3, 4, 4 and B scores 1, 3, 3, 4, 2.
    ///
    /// Differences 0, 1, 0, 0, 2: MAD = 3 / 5 = 0.6.
    ///
    /// Kappa, working with squared differences (the 1/9 of the weights cancels):
    /// observed Σ (a − b)² / n = (0 + 1 + 0 + 0 + 4) / 5 = 1.0.
    /// A's distribution over 1..4 is (.2, .2, .2, .4): mean 2.8, mean of squares 9.2,
    /// variance 1.36. B's is (.2, .2, .4, .2): mean 2.6, mean of squares 7.8, variance 1.04.
    /// Chance E[(X − Y)²] for independent X, Y = var X + var Y + (mean X − mean Y)²
    /// = 1.36 + 1.04 + 0.04 = 2.44.
    /// κ = 1 − 1.0 / 2.44 = 36 / 61 ≈ 0.590164.
    #[test]
    fn hand_checked_example() {
        let pairs = [(1, 1), (2, 3), (3, 3), (4, 4), (4, 2)];
        assert!((mean_absolute_difference(&pairs).unwrap() - 0.6).abs() < 1e-12);
        assert!((weighted_kappa(&pairs).unwrap() - 36.0 / 61.0).abs() < 1e-12);
    }

    #[test]
    fn perfect_chance_and_undefined() {
        let same = [(1, 1), (2, 2), (3, 3), (4, 4)];
        assert_eq!(weighted_kappa(&same), Some(1.0));
        assert_eq!(mean_absolute_difference(&same), Some(0.0));
        // Exactly reversed: as far from agreement as the scale allows.
        let reversed = [(1, 4), (2, 3), (3, 2), (4, 1)];
        assert!(weighted_kappa(&reversed).unwrap() < -0.9);
        // Both always say 3: chance predicts no disagreement, kappa is undefined.
        assert_eq!(weighted_kappa(&[(3, 3), (3, 3)]), None);
        assert_eq!(weighted_kappa(&[]), None);
        assert_eq!(mean_absolute_difference(&[]), None);
    }
}
