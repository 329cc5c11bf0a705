//! A sheet described as rows of values plus merged ranges (the spec every test and sample is
//! written from), and moving one about.

/// One cell of a spec.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Nothing.
    E,
    /// Text.
    S(String),
    /// A number.
    N(f64),
    /// A fraction in a cell formatted 0.00%.
    P(f64),
    /// A number in a cell with its own number format ("0.000", "0.0").
    NF(f64, String),
    /// A formula (without "=") with its cached result.
    F(String, f64),
    /// A formula with no cached value (as openpyxl writes them).
    FNoCache(String),
}

/// Text cell.
pub fn s(t: &str) -> V {
    V::S(t.to_string())
}

/// Number cell.
pub fn n(x: f64) -> V {
    V::N(x)
}

/// Number cell with a number format of its own.
pub fn nf(x: f64, format: &str) -> V {
    V::NF(x, format.to_string())
}

/// A sheet: rows of cells and merged ranges ("A1:H1").
#[derive(Debug, Clone)]
pub struct SheetSpec {
    pub name: String,
    pub rows: Vec<Vec<V>>,
    pub merges: Vec<String>,
}

impl SheetSpec {
    pub fn new(name: &str) -> Self {
        SheetSpec {
            name: name.to_string(),
            rows: Vec::new(),
            merges: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<V>) -> &mut Self {
        self.rows.push(cells);
        self
    }

    /// Merges a range such as "A1:H1".
    pub fn merge(&mut self, range: &str) -> &mut Self {
        self.merges.push(range.to_string());
        self
    }

    /// Sets one cell by its A1 name.
    pub fn set(&mut self, a1: &str, v: V) -> &mut Self {
        let (r, c) = a1_pos(a1);
        while self.rows.len() <= r {
            self.rows.push(Vec::new());
        }
        let row = &mut self.rows[r];
        while row.len() <= c {
            row.push(V::E);
        }
        row[c] = v;
        self
    }

    /// The cell at an A1 name.
    pub fn get(&self, a1: &str) -> V {
        let (r, c) = a1_pos(a1);
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .cloned()
            .unwrap_or(V::E)
    }
}

/// Zero-based (row, col) of an A1 name.
pub fn a1_pos(a1: &str) -> (usize, usize) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: usize = a1[letters.len()..].parse().expect("A1 row");
    let mut col = 0usize;
    for b in letters.bytes() {
        col = col * 26 + usize::from(b - b'A') + 1;
    }
    (row - 1, col - 1)
}

/// Moves every cell and merge of a spec down by `rows` and right by `cols`.
pub fn shifted(spec: &SheetSpec, rows: usize, cols: usize) -> SheetSpec {
    let mut out = SheetSpec::new(&spec.name);
    for _ in 0..rows {
        out.rows.push(Vec::new());
    }
    for r in &spec.rows {
        let mut row = vec![V::E; cols];
        row.extend(r.iter().cloned());
        out.rows.push(row);
    }
    let move_a1 = |a1: &str| {
        let (r, c) = a1_pos(a1);
        a1_name(r + rows, c + cols)
    };
    for m in &spec.merges {
        let (a, b) = m.split_once(':').expect("range");
        out.merges.push(format!("{}:{}", move_a1(a), move_a1(b)));
    }
    out
}

/// The A1 name of a zero-based position.
pub fn a1_name(row: usize, col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ascii"), row + 1)
}
