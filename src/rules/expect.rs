//! The values the rules give, computed apart from any comparison: what a derived cell should
//! hold, given the cells it derives from. The checks in [`super::funding`],
//! [`super::indicators`] and [`super::totals`] call these and compare the result with what the
//! form says; nothing here reports, rounds for display or knows a cell.
//!
//! Every value is exact (`Decimal`); the checks round it half away from zero at two decimals
//! (or at the precision the form shows) when they compare.

use rust_decimal::Decimal;

use crate::num::{div, mul_div};

/// Rule 1: a total is the sum of its parts (blank parts count as 0, and are not passed here).
pub fn sum(parts: impl IntoIterator<Item = Decimal>) -> Decimal {
    parts.into_iter().sum::<Decimal>().normalize()
}

/// Rule 2: the execution rate in percent, `exec ÷ budget × 100`; none when the budget is not
/// above 0 (0 ÷ 0 is not applicable) or the quotient is out of range.
pub fn rate(exec: Decimal, budget: Decimal) -> Option<Decimal> {
    if budget <= Decimal::ZERO {
        return None;
    }
    div(exec.checked_mul(Decimal::ONE_HUNDRED)?, budget)
}

/// Rule 3: the execution score, `weight × min(rate, 100%)` with the rate in percent.
pub fn exec_score(weight: Decimal, rate_pct: Decimal) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    weight * rate_pct.min(hundred) / hundred
}

/// Rules 5 and 6: an indicator's score, and whether its target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorScore {
    /// The score the rules give (exact).
    pub exact: Decimal,
    /// The actual value met the target.
    pub met: bool,
}

/// Rule 5 (`reverse` false: "≥ / > / =" targets) and rule 6 (`reverse` true: "≤ / <"
/// targets): met → the whole weight; missed → `weight × actual ÷ target` (forward) or
/// `weight × target ÷ actual` (reverse), never below 0. None when a forward target is not
/// above 0 and was missed (no ratio to score by) or the quotient is out of range.
pub fn indicator_score(
    weight: Decimal,
    reverse: bool,
    target: Decimal,
    actual: Decimal,
) -> Option<IndicatorScore> {
    if reverse {
        let met = actual <= target;
        let exact = if met || actual.is_zero() {
            weight
        } else {
            mul_div(weight, target, actual)?.max(Decimal::ZERO)
        };
        Some(IndicatorScore { exact, met })
    } else {
        let met = actual >= target;
        if !met && target <= Decimal::ZERO {
            return None;
        }
        let exact = if met {
            weight
        } else {
            mul_div(weight, actual, target)?.max(Decimal::ZERO)
        };
        Some(IndicatorScore { exact, met })
    }
}

/// Rule 7: how far beyond its target a met indicator lies — actual ÷ target (forward) or
/// target ÷ actual (reverse); a quotient too large for a `Decimal` is as far as it gets.
/// None when the target was missed or the ratio has no meaning (a target or actual of 0).
pub fn beyond_target(
    reverse: bool,
    met: bool,
    target: Decimal,
    actual: Decimal,
) -> Option<Decimal> {
    match (reverse, met) {
        (false, true) if target > Decimal::ZERO => div(actual, target).or(Some(Decimal::MAX)),
        (true, true) if actual > Decimal::ZERO => div(target, actual).or(Some(Decimal::MAX)),
        _ => None,
    }
}

/// Rule 12: 总分 is the execution score plus every indicator's score, at two decimals.
pub fn total(exec_score: Decimal, scores: impl IntoIterator<Item = Decimal>) -> Decimal {
    crate::num::round2(exec_score + scores.into_iter().sum::<Decimal>()).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn funding_values() {
        assert_eq!(sum([d("50"), d("30.5"), d("19.50")]), d("100"));
        assert_eq!(rate(d("31.6"), d("100")), Some(d("31.6")));
        assert_eq!(rate(d("1"), d("0")), None);
        assert_eq!(rate(d("0"), d("-5")), None);
        assert_eq!(exec_score(d("10"), d("89.72")), d("8.972"));
        // Over 100%: the whole weight, never more.
        assert_eq!(exec_score(d("20"), d("120")), d("20"));
    }

    #[test]
    fn indicator_values() {
        let s = |w, r, t, a| indicator_score(d(w), r, d(t), d(a));
        assert_eq!(
            s("10", false, "100", "120"),
            Some(IndicatorScore {
                exact: d("10"),
                met: true
            })
        );
        assert_eq!(
            s("10", false, "100", "90"),
            Some(IndicatorScore {
                exact: d("9"),
                met: false
            })
        );
        assert_eq!(s("10", false, "0", "-1"), None);
        // Reverse: 10 × 50 ÷ 60.
        let r = s("10", true, "50", "60").unwrap();
        assert_eq!((crate::num::round2(r.exact), r.met), (d("8.33"), false));
        assert_eq!(s("10", true, "50", "0").map(|r| r.exact), Some(d("10")));
        assert_eq!(beyond_target(false, true, d("10"), d("30")), Some(d("3")));
        assert_eq!(beyond_target(true, true, d("50"), d("10")), Some(d("5")));
        assert_eq!(beyond_target(false, false, d("10"), d("5")), None);
        assert_eq!(beyond_target(false, true, d("0"), d("5")), None);
    }

    #[test]
    fn total_is_rounded_once() {
        assert_eq!(total(d("8.972"), [d("40"), d("42.004")]), d("90.98"));
        assert_eq!(total(d("0"), []), d("0"));
    }
}
