//! A small evaluator for the simple formulas forms use (SUM, ROUND, MIN, MAX, ABS, AVERAGE,
//! plus, minus, times, divide, percent, references and ranges on the same sheet), for formula
//! cells whose file holds no cached result (openpyxl) or only a placeholder 0 (writers that set
//! fullCalcOnLoad).
//!
//! Anything else (other functions, text, other sheets, errors) makes the formula unevaluable:
//! the caller then treats the cell as having no value and says so. Arithmetic is Decimal and
//! checked, so no input can overflow or panic.
//!
//! The parser is recursive, so its depth is bounded: one count, [`MAX_DEPTH`], covers nesting
//! inside a formula (parentheses, unary signs, function calls) and formulas that refer to
//! formulas, so a hostile file (`=((((…))))` 16,000 deep, or a chain of cells) cannot overflow
//! the stack of a worker thread or of the browser. The work is bounded by the caller through
//! [`Cells::spend`]: every formula's length is charged before it is read.

use rust_decimal::Decimal;
use rust_decimal::prelude::*;

use crate::grid::CellRef;
use crate::limits::MAX_RANGE_CELLS;
/// The limits applied here (defined, with every other, in [`crate::limits`]).
pub use crate::limits::{MAX_DEPTH, MAX_FORMULA_BYTES};
use crate::num::round_dp;

/// What a referenced cell holds, as far as formulas are concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    /// A number (or a boolean as 1/0).
    Num(Decimal),
    /// Nothing: 0 in arithmetic, skipped by SUM.
    Blank,
    /// Text or an error: skipped by SUM, unevaluable in arithmetic.
    Other,
}

/// How the evaluator reads cells; returns `None` when the cell's value cannot be known.
pub trait Cells {
    /// The value of one cell, read by a formula at nesting `depth` (pass it on to
    /// [`evaluate_at`] when the cell's own formula must be evaluated).
    fn value(&mut self, at: CellRef, depth: usize) -> Option<Operand>;
    /// The positions in a rectangle that hold something (others are blank).
    fn used_in(&mut self, first: CellRef, last: CellRef) -> Vec<CellRef>;
    /// Charges `work` units (a formula's length in bytes) to the caller's budget; `false`
    /// when the budget is spent, and the formula is then not evaluated.
    fn spend(&mut self, work: u64) -> bool {
        let _ = work;
        true
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Ref(CellRef),
    Name(String),
    Op(char),
}

fn tokenize(src: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = src.trim().trim_start_matches('=').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Num(Decimal::from_str(&text).ok()?));
        } else if c.is_ascii_alphabetic() || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '$'
                    || chars[i] == '.'
                    || chars[i] == '_')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().filter(|c| **c != '$').collect();
            if chars.get(i) == Some(&'!') {
                return None; // another sheet
            }
            match CellRef::parse(&word) {
                Some(r) if chars.get(i) != Some(&'(') => out.push(Tok::Ref(r)),
                _ => out.push(Tok::Name(word.to_ascii_uppercase())),
            }
        } else if "+-*/(),:%".contains(c) {
            out.push(Tok::Op(c));
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// An argument value: a number, or the cells of a range (for SUM and friends).
enum Arg {
    Num(Decimal),
    Range(Vec<Operand>),
}

struct Parser<'a, C: Cells> {
    toks: Vec<Tok>,
    pos: usize,
    cells: &'a mut C,
    depth: usize,
}

impl<C: Cells> Parser<'_, C> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, op: char) -> bool {
        if self.peek() == Some(&Tok::Op(op)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Option<Decimal> {
        let mut v = self.term()?;
        loop {
            if self.eat('+') {
                v = v.checked_add(self.term()?)?;
            } else if self.eat('-') {
                v = v.checked_sub(self.term()?)?;
            } else {
                return Some(v);
            }
        }
    }

    fn term(&mut self) -> Option<Decimal> {
        let mut v = self.unary()?;
        loop {
            if self.eat('*') {
                v = v.checked_mul(self.unary()?)?;
            } else if self.eat('/') {
                v = v.checked_div(self.unary()?)?;
            } else {
                return Some(v);
            }
        }
    }

    /// Every recursion passes through here (signs, parentheses and arguments all start a
    /// unary), so the depth is counted here.
    fn unary(&mut self) -> Option<Decimal> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let v = self.unary_inner();
        self.depth -= 1;
        v
    }

    fn unary_inner(&mut self) -> Option<Decimal> {
        if self.eat('-') {
            return Some(-self.unary()?);
        }
        if self.eat('+') {
            return self.unary();
        }
        let first = self.primary()?;
        let mut v = self.scalar(first)?;
        while self.eat('%') {
            v = v.checked_div(Decimal::ONE_HUNDRED)?;
        }
        Some(v)
    }

    fn scalar(&mut self, a: Arg) -> Option<Decimal> {
        match a {
            Arg::Num(n) => Some(n),
            Arg::Range(cells) if cells.len() == 1 => match cells[0] {
                Operand::Num(n) => Some(n),
                Operand::Blank => Some(Decimal::ZERO),
                Operand::Other => None,
            },
            Arg::Range(_) => None,
        }
    }

    fn primary(&mut self) -> Option<Arg> {
        match self.toks.get(self.pos).cloned()? {
            Tok::Num(n) => {
                self.pos += 1;
                Some(Arg::Num(n))
            }
            Tok::Ref(first) => {
                self.pos += 1;
                let last = if self.eat(':') {
                    match self.toks.get(self.pos).cloned()? {
                        Tok::Ref(r) => {
                            self.pos += 1;
                            r
                        }
                        _ => return None,
                    }
                } else {
                    first
                };
                self.range(first, last)
            }
            Tok::Name(name) => {
                self.pos += 1;
                if !self.eat('(') {
                    return None;
                }
                let mut args = Vec::new();
                if !self.eat(')') {
                    loop {
                        args.push(self.arg()?);
                        if self.eat(')') {
                            break;
                        }
                        if !self.eat(',') {
                            return None;
                        }
                    }
                }
                self.call(&name, args).map(Arg::Num)
            }
            Tok::Op('(') => {
                self.pos += 1;
                let v = self.expr()?;
                self.eat(')').then_some(Arg::Num(v))
            }
            Tok::Op(_) => None,
        }
    }

    /// A function argument: a bare range stays a range; anything else is a number.
    fn arg(&mut self) -> Option<Arg> {
        let start = self.pos;
        if let Some(Tok::Ref(_)) = self.peek() {
            let a = self.primary()?;
            if matches!(self.peek(), None | Some(Tok::Op(',')) | Some(Tok::Op(')'))) {
                return Some(a);
            }
            self.pos = start;
        }
        self.expr().map(Arg::Num)
    }

    fn range(&mut self, a: CellRef, b: CellRef) -> Option<Arg> {
        let first = CellRef::new(a.row.min(b.row), a.col.min(b.col));
        let last = CellRef::new(a.row.max(b.row), a.col.max(b.col));
        let size = u64::from(last.row - first.row + 1) * u64::from(last.col - first.col + 1);
        if size > MAX_RANGE_CELLS {
            return None;
        }
        if first == last {
            return Some(Arg::Range(vec![self.cells.value(first, self.depth)?]));
        }
        let mut values = Vec::new();
        for at in self.cells.used_in(first, last) {
            values.push(self.cells.value(at, self.depth)?);
        }
        Some(Arg::Range(values))
    }

    fn call(&mut self, name: &str, args: Vec<Arg>) -> Option<Decimal> {
        let mut nums = Vec::new();
        let numbers = |args: Vec<Arg>, nums: &mut Vec<Decimal>| {
            for a in args {
                match a {
                    Arg::Num(n) => nums.push(n),
                    Arg::Range(cells) => nums.extend(cells.into_iter().filter_map(|c| match c {
                        Operand::Num(n) => Some(n),
                        _ => None,
                    })),
                }
            }
        };
        match name {
            "SUM" | "MIN" | "MAX" | "AVERAGE" => {
                numbers(args, &mut nums);
                match name {
                    "SUM" => nums
                        .into_iter()
                        .try_fold(Decimal::ZERO, |a, b| a.checked_add(b)),
                    "MIN" => Some(nums.into_iter().min().unwrap_or_default()),
                    "MAX" => Some(nums.into_iter().max().unwrap_or_default()),
                    _ => {
                        let n = Decimal::from(nums.len());
                        let total = nums
                            .into_iter()
                            .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))?;
                        total.checked_div(n)
                    }
                }
            }
            "ABS" if args.len() == 1 => {
                let mut it = args.into_iter();
                let a = it.next()?;
                Some(self.scalar(a)?.abs())
            }
            "ROUND" if args.len() == 2 => {
                let mut it = args.into_iter();
                let (x, d) = (it.next()?, it.next()?);
                let (x, d) = (self.scalar(x)?, self.scalar(d)?);
                let d = d.trunc().to_i32()?;
                if d >= 0 {
                    Some(round_dp(x, d.min(20) as u32))
                } else {
                    let scale = Decimal::from(10i64.checked_pow(d.unsigned_abs().min(18))?);
                    Some(round_dp(x.checked_div(scale)?, 0).checked_mul(scale)?)
                }
            }
            _ => None,
        }
    }
}

/// Evaluates a formula (with or without its leading "="); `None` when it is not one zpcheck
/// can evaluate or a value it needs is unknown.
pub fn evaluate(formula: &str, cells: &mut impl Cells) -> Option<Decimal> {
    evaluate_at(formula, cells, 0)
}

/// [`evaluate`] for a formula reached at nesting `depth` (from another formula's reference).
pub fn evaluate_at(formula: &str, cells: &mut impl Cells, depth: usize) -> Option<Decimal> {
    if formula.len() > MAX_FORMULA_BYTES || depth >= MAX_DEPTH {
        return None;
    }
    if !cells.spend(formula.len() as u64) {
        return None;
    }
    let toks = tokenize(formula)?;
    let mut p = Parser {
        toks,
        pos: 0,
        cells,
        depth,
    };
    let v = p.expr()?;
    (p.pos == p.toks.len()).then(|| v.normalize())
}

/// A formula that only adds cells up — `SUM(C7:C9)`, `C7+C8+C9`, `H5+SUM(H12:H16)`, any of
/// them inside `ROUND(…, n)` — the shape of a form's total rows. Such a formula can be
/// repaired when it adds the wrong cells; any other formula is left as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SumShape {
    /// The ranges added (a single cell is a range of one).
    pub ranges: Vec<(CellRef, CellRef)>,
    /// The decimals of an enclosing `ROUND`, as written.
    pub round: Option<String>,
}

/// The [`SumShape`] of a formula, if it has one.
pub fn sum_shape(formula: &str) -> Option<SumShape> {
    if formula.len() > MAX_FORMULA_BYTES {
        return None;
    }
    let toks = tokenize(formula)?;
    let name = |t: Option<&Tok>, n: &str| matches!(t, Some(Tok::Name(x)) if x == n);
    let op = |t: Option<&Tok>, c: char| t == Some(&Tok::Op(c));
    let n = toks.len();
    let (inner, round) = match toks.get(n.wrapping_sub(2)) {
        Some(Tok::Num(d))
            if n >= 6
                && name(toks.first(), "ROUND")
                && op(toks.get(1), '(')
                && op(toks.get(n - 3), ',')
                && op(toks.get(n - 1), ')')
                && d.fract().is_zero() =>
        {
            (&toks[2..n - 3], Some(d.normalize().to_string()))
        }
        _ => (&toks[..], None),
    };
    let mut ranges = Vec::new();
    let mut i = 0;
    // A reference or a range `A1:B2` at `i`; the index after it.
    let range_at = |i: usize| -> Option<((CellRef, CellRef), usize)> {
        let Some(Tok::Ref(a)) = inner.get(i) else {
            return None;
        };
        match (inner.get(i + 1), inner.get(i + 2)) {
            (Some(Tok::Op(':')), Some(Tok::Ref(b))) => Some(((*a, *b), i + 3)),
            _ => Some(((*a, *a), i + 1)),
        }
    };
    loop {
        match inner.get(i) {
            Some(Tok::Ref(a)) => {
                ranges.push((*a, *a));
                i += 1;
            }
            Some(Tok::Name(f)) if f == "SUM" && op(inner.get(i + 1), '(') => {
                i += 2;
                loop {
                    let (r, next) = range_at(i)?;
                    ranges.push(r);
                    i = next;
                    if op(inner.get(i), ',') {
                        i += 1;
                    } else if op(inner.get(i), ')') {
                        i += 1;
                        break;
                    } else {
                        return None;
                    }
                }
            }
            _ => return None,
        }
        if i == inner.len() {
            break;
        }
        if !op(inner.get(i), '+') {
            return None;
        }
        i += 1;
    }
    Some(SumShape { ranges, round })
}

impl SumShape {
    /// Every cell the formula adds; `None` when its ranges are too large to list.
    pub fn cells(&self) -> Option<std::collections::BTreeSet<CellRef>> {
        let mut out = std::collections::BTreeSet::new();
        let mut size = 0u64;
        for (a, b) in &self.ranges {
            let (r0, r1) = (a.row.min(b.row), a.row.max(b.row));
            let (c0, c1) = (a.col.min(b.col), a.col.max(b.col));
            size += (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if size > MAX_RANGE_CELLS {
                return None;
            }
            for row in r0..=r1 {
                for col in c0..=c1 {
                    out.insert(CellRef::new(row, col));
                }
            }
        }
        Some(out)
    }

    /// The formula of the same shape adding exactly `cells`: runs of adjacent cells in a
    /// column become ranges, inside the same `ROUND` (`ROUND(SUM(H5,H12:H16,H18),2)`).
    pub fn adding(&self, cells: &[CellRef]) -> String {
        let mut sorted: Vec<CellRef> = cells.to_vec();
        sorted.sort_by_key(|c| (c.col, c.row));
        sorted.dedup();
        let mut parts: Vec<String> = Vec::new();
        let mut k = 0;
        while k < sorted.len() {
            let first = sorted[k];
            let mut last = first;
            while sorted
                .get(k + 1)
                .is_some_and(|n| n.col == last.col && n.row == last.row + 1)
            {
                k += 1;
                last = sorted[k];
            }
            parts.push(if first == last {
                first.to_string()
            } else {
                format!("{first}:{last}")
            });
            k += 1;
        }
        let sum = format!("SUM({})", parts.join(","));
        match &self.round {
            Some(d) => format!("ROUND({sum},{d})"),
            None => sum,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Grid(BTreeMap<CellRef, Operand>);

    impl Cells for Grid {
        fn value(&mut self, at: CellRef, _depth: usize) -> Option<Operand> {
            Some(self.0.get(&at).copied().unwrap_or(Operand::Blank))
        }
        fn used_in(&mut self, first: CellRef, last: CellRef) -> Vec<CellRef> {
            self.0
                .keys()
                .filter(|r| {
                    r.row >= first.row
                        && r.row <= last.row
                        && r.col >= first.col
                        && r.col <= last.col
                })
                .copied()
                .collect()
        }
    }

    fn grid() -> Grid {
        let mut g = BTreeMap::new();
        let d = |s: &str| Operand::Num(Decimal::from_str(s).unwrap());
        g.insert(CellRef::parse("C7").unwrap(), d("80"));
        g.insert(CellRef::parse("C8").unwrap(), d("9.974"));
        g.insert(CellRef::parse("C9").unwrap(), Operand::Other);
        g.insert(CellRef::parse("D6").unwrap(), d("2142.94"));
        g.insert(CellRef::parse("E6").unwrap(), d("2134.94"));
        Grid(g)
    }

    fn eval(f: &str) -> Option<String> {
        evaluate(f, &mut grid()).map(|d| d.to_string())
    }

    #[test]
    fn sum_shapes_are_recognised_and_rewritten() {
        let c = |a: &str| CellRef::parse(a).unwrap();
        let s = sum_shape("=SUM(C7:C8)").unwrap();
        assert_eq!(s.ranges, vec![(c("C7"), c("C8"))]);
        assert_eq!(s.round, None);
        assert_eq!(s.adding(&[c("C9"), c("C7"), c("C8")]), "SUM(C7:C9)");
        let s = sum_shape("=ROUND(H5+SUM(H12:H16),2)").unwrap();
        assert_eq!(s.ranges, vec![(c("H5"), c("H5")), (c("H12"), c("H16"))]);
        assert_eq!(s.round.as_deref(), Some("2"));
        let cells: Vec<CellRef> = s.cells().unwrap().into_iter().collect();
        assert_eq!(cells.len(), 6);
        assert_eq!(
            s.adding(&[
                c("H5"),
                c("H12"),
                c("H13"),
                c("H14"),
                c("H15"),
                c("H16"),
                c("H18")
            ]),
            "ROUND(SUM(H5,H12:H16,H18),2)"
        );
        let s = sum_shape("$D$7+D8+SUM(D10, D11)").unwrap();
        assert_eq!(s.ranges.len(), 4);
        // A row left out of the parts (a 其中 sub-row) breaks the range.
        assert_eq!(s.adding(&[c("D7"), c("D9")]), "SUM(D7,D9)");
        for other in [
            "=D7-D8",
            "=SUM(D7:D9)*2",
            "=ROUND(D7,2)+ROUND(D8,2)",
            "=IF(D7>0,D7,0)",
            "=SUM(Sheet2!D7:D9)",
            "=AVERAGE(D7:D9)",
            "=ROUND(SUM(D7:D9),D1)",
            "=SUM(D7:D9",
            "",
        ] {
            assert_eq!(sum_shape(other), None, "{other}");
        }
        assert_eq!(sum_shape("=SUM(A1:XFD1048576)").unwrap().cells(), None);
    }

    #[test]
    fn forms_formulas() {
        assert_eq!(eval("=SUM(C7:C9)").as_deref(), Some("89.974"));
        assert_eq!(eval("SUM(C7,C8,1)").as_deref(), Some("90.974"));
        assert_eq!(eval("=ROUND(E6/D6*100,2)").as_deref(), Some("99.63"));
        assert_eq!(
            eval("=E6/D6").map(|s| s[..6].to_string()).as_deref(),
            Some("0.9962")
        );
        assert_eq!(eval("=$C$7+C8*2-(1)").as_deref(), Some("98.948"));
        assert_eq!(
            eval("=10*MIN(E6/D6,1)")
                .map(|s| s[..4].to_string())
                .as_deref(),
            Some("9.96")
        );
        assert_eq!(eval("=ROUND(1234.5,-2)").as_deref(), Some("1200"));
        assert_eq!(eval("=ROUND(2.345,2)").as_deref(), Some("2.35"));
        assert_eq!(eval("=50%*C7").as_deref(), Some("40"));
        assert_eq!(eval("=-C7+Z99").as_deref(), Some("-80"));
        assert_eq!(
            eval("=MAX(C7:C8)+ABS(-1)+AVERAGE(C7:C8)").as_deref(),
            Some("125.987")
        );
    }

    #[test]
    fn nesting_is_bounded_on_a_small_stack() {
        // 16,000 levels of each kind of nesting, on a thread with 1 MiB of stack (a batch worker
        // has 2 MiB, a browser's wasm stack 1 MiB): refused without recursing past MAX_DEPTH.
        // An unoptimised build needs about 8 KiB a level, a release build 128 KiB in all.
        let deep = 16_000;
        let run = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let parens = format!("={}1{}", "(".repeat(deep), ")".repeat(deep));
                let minus = format!("={}1", "-".repeat(deep));
                let sums = format!("={}1{}", "SUM(".repeat(deep), ")".repeat(deep));
                let near = format!(
                    "={}C7{}",
                    "(".repeat(MAX_DEPTH - 2),
                    ")".repeat(MAX_DEPTH - 2)
                );
                [parens, minus, sums, near].map(|f| eval(&f))
            })
            .expect("thread")
            .join()
            .expect("no overflow");
        assert_eq!(run, [None, None, None, Some("80".to_string())]);
    }

    #[test]
    fn long_formulas_are_charged_and_refused() {
        struct Budget(u64);
        impl Cells for Budget {
            fn value(&mut self, _: CellRef, _: usize) -> Option<Operand> {
                Some(Operand::Num(Decimal::ONE))
            }
            fn used_in(&mut self, _: CellRef, _: CellRef) -> Vec<CellRef> {
                Vec::new()
            }
            fn spend(&mut self, work: u64) -> bool {
                let ok = work <= self.0;
                self.0 = self.0.saturating_sub(work);
                ok
            }
        }
        let f = "=1+A1";
        let mut b = Budget(12);
        assert_eq!(evaluate(f, &mut b), Some(Decimal::TWO));
        assert_eq!(b.0, 7, "the formula's five bytes are charged");
        assert_eq!(evaluate(f, &mut b), Some(Decimal::TWO));
        assert_eq!(evaluate(f, &mut b), None, "two bytes left: refused");
        let long = format!("={}", vec!["1"; MAX_FORMULA_BYTES / 2 + 1].join("+"));
        assert_eq!(evaluate(&long, &mut Budget(u64::MAX)), None);
    }

    #[test]
    fn what_is_not_evaluated() {
        for f in [
            "=C9+1",
            "=Sheet2!A1",
            "=IF(C7>1,1,0)",
            "=VLOOKUP(C7,A1:B2,2)",
            "=\"a\"&\"b\"",
            "=C7/0",
            "=SUM(C7:C8",
            "=C7 C8",
            "=A1:XFD1048576",
            "=SUM(A1:XFD1048576)",
            "=99999999999999999999999999*99999999999",
        ] {
            assert_eq!(eval(f), None, "{f}");
        }
    }
}
