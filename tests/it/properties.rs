//! Property tests for the number and operator parser, the rounding policy, the float
//! conversion and the formula evaluator: round trips hold and no input panics.

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::*;
use zpcheck::num::{Measure, Op, dec_from_f64, parse_number_text, round2};

/// A target or actual read with the national operator words.
fn parse_measure(s: &str) -> Option<Measure> {
    zpcheck::profile::national().vocab.measure(s)
}

/// Decimals as forms write them: up to 12 integer digits and 4 decimals.
fn decimal() -> impl Strategy<Value = Decimal> {
    (-999_999_999_999_999i64..=999_999_999_999_999i64, 0u32..=4)
        .prop_map(|(m, s)| Decimal::new(m / 1000, s))
}

fn with_thousands(d: Decimal) -> String {
    let s = d.abs().to_string();
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!(
        "{}{}{}",
        if d.is_sign_negative() && !d.is_zero() {
            "-"
        } else {
            ""
        },
        grouped,
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    )
}

proptest! {
    #[test]
    fn numbers_stored_as_text_round_trip(d in decimal(), pad in " {0,3}", pct in any::<bool>()) {
        let text = format!("{pad}{}{}{pad}", with_thousands(d), if pct { "%" } else { "" });
        prop_assert_eq!(parse_number_text(&text), Some((d.normalize(), pct)));
    }

    #[test]
    fn measures_round_trip(
        d in (0i64..=99_999_999, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s)),
        op in prop::sample::select(vec![(">=", Op::Ge), ("≥", Op::Ge), ("＞＝", Op::Ge), ("<=", Op::Le), ("≤", Op::Le), ("=", Op::Eq), (">", Op::Gt), ("<", Op::Lt), ("不低于", Op::Ge), ("不超过", Op::Le)]),
        unit in prop::sample::select(vec!["", "项", "家", "个", "万元", "%", "人次", "天", "‰"]),
        space in " {0,2}",
    ) {
        let text = format!("{}{space}{}{space}{unit}", op.0, d);
        let m = parse_measure(&text).expect("parses");
        prop_assert_eq!(m.op, Some(op.1));
        prop_assert_eq!(m.value, d.normalize());
        prop_assert_eq!(m.unit.as_str(), unit);
    }

    #[test]
    fn numbers_are_formatted_as_the_general_formatter_does(
        m in any::<i128>(), scale in 0u32..=28, f in any::<f64>(), whole in -1e15f64..1e15
    ) {
        // fmt_dec has a fast path for 64-bit mantissas; it must print what Display prints.
        let d = Decimal::from_i128_with_scale(m % 79_228_162_514_264_337_593_543_950_335, scale);
        prop_assert_eq!(zpcheck::num::fmt_dec(d), d.normalize().to_string());
        let small = Decimal::from_i128_with_scale(m % 10_000_000_000_000, scale.min(8));
        prop_assert_eq!(zpcheck::num::fmt_dec(small), small.normalize().to_string());
        // dec_from_f64's fast path for whole numbers gives what the general conversion gives.
        for x in [f, whole.trunc()] {
            let general = Decimal::from_f64(x).filter(|_| x.is_finite() && x.abs() <= 1e15)
                .map(|d| d.round_sf_with_strategy(15, rust_decimal::RoundingStrategy::MidpointAwayFromZero).unwrap_or(d).normalize());
            prop_assert_eq!(zpcheck::num::dec_from_f64(x), general);
        }
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_number_text(&s);
        let _ = parse_measure(&s);
        let _ = zpcheck::num::label_key(&s);
    }

    #[test]
    fn round2_is_half_away_from_zero(d in decimal()) {
        let r = round2(d);
        prop_assert!((r - d).abs() <= Decimal::new(5, 3));
        prop_assert_eq!(round2(r), r);
        prop_assert_eq!(round2(-d), -r);
        prop_assert!(r.scale() <= 2);
        // An exact midpoint goes away from zero.
        let k = d.abs().trunc().to_i64().unwrap();
        prop_assert_eq!(round2(Decimal::new(k * 1000 + 5, 3)), Decimal::new(k * 100 + 1, 2));
        prop_assert_eq!(round2(Decimal::new(-(k * 1000 + 5), 3)), Decimal::new(-(k * 100 + 1), 2));
    }

    #[test]
    fn floats_convert_to_the_decimal_they_show(d in decimal()) {
        let f = d.to_f64().unwrap();
        prop_assert_eq!(dec_from_f64(f), Some(d.normalize()));
        // Excel's float noise in the last place is removed too.
        prop_assert_eq!(dec_from_f64(f.next_up()).map(round2), Some(round2(d)));
    }

    #[test]
    fn formulas_never_panic(s in "[=A-Z0-9$:,()+\\-*/%. ]{0,40}") {
        struct Cells;
        impl zpcheck::formula::Cells for Cells {
            fn value(&mut self, _: zpcheck::read::CellRef, _: usize) -> Option<zpcheck::formula::Operand> {
                Some(zpcheck::formula::Operand::Num(Decimal::new(12345, 2)))
            }
            fn used_in(&mut self, first: zpcheck::read::CellRef, _: zpcheck::read::CellRef) -> Vec<zpcheck::read::CellRef> {
                vec![first]
            }
        }
        let _ = zpcheck::formula::evaluate(&s, &mut Cells);
    }
}

/// Weights, targets and actuals as forms hold them: 0 to 10^9 with up to 4 decimals.
fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..=10_000_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s))
}

proptest! {
    /// Rules 3, 5 and 6 never give more than the weight nor less than 0, and full marks
    /// exactly when the target is met.
    #[test]
    fn scores_stay_within_their_weight(
        weight in 0i64..=10_000i64,
        target in amount(),
        actual in amount(),
        reverse: bool,
    ) {
        use zpcheck::rules::expect;
        let w = Decimal::new(weight, 2);
        if let Some(rate) = expect::rate(actual, target) {
            let s = expect::exec_score(w, rate);
            prop_assert!(s >= Decimal::ZERO && s <= w, "{s} of {w}");
        }
        if let Some(s) = expect::indicator_score(w, reverse, target, actual) {
            prop_assert!(s.exact >= Decimal::ZERO && s.exact <= w, "{} of {w}", s.exact);
            prop_assert_eq!(s.met, if reverse { actual <= target } else { actual >= target });
            if s.met {
                prop_assert_eq!(s.exact, w);
            }
        }
    }
}
