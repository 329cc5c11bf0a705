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
