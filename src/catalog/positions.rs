//! Where each value of a YAML document stands: `cloud_benefits[3].license.keys[1].key`
//! → line and column. serde_yaml does not keep spans, so a marked event parse (yaml-rust2)
//! builds this index; rule errors found after deserializing can then still point into the
//! file. The same pass measures the nesting depth, so a hostile document is refused
//! before serde_yaml sees it.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Deepest nesting accepted; the catalog itself is six levels deep.
pub const MAX_DEPTH: usize = 64;

/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

const START: Pos = Pos { line: 1, column: 1 };

#[derive(Debug, Default)]
pub struct Positions {
    /// Path → where its value starts.
    values: HashMap<String, Pos>,
    /// Path → where its key stands (mapping entries only).
    keys: HashMap<String, Pos>,
}

impl Positions {
    /// The position of the value at `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.values.get("").copied().unwrap_or(START),
            }
        }
    }

    /// The position of the key of a mapping entry (e.g. an unknown field), else `find`.
    pub fn find_key(&self, path: &str) -> Pos {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.find(path))
    }
}

#[derive(Debug)]
pub enum IndexError {
    /// Nesting deeper than [`MAX_DEPTH`], at the first collection past the limit.
    TooDeep(Pos),
    /// yaml-rust2 refused the document; `partial` holds what was indexed before.
    Syntax { partial: Positions },
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

struct Builder {
    stack: Vec<Frame>,
    positions: Positions,
    too_deep: Option<Pos>,
}

fn pos(m: &Marker) -> Pos {
    // yaml-rust2 markers: line 1-based, column 0-based.
    Pos {
        line: m.line().max(1),
        column: m.col() + 1,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// What an event is to its parent.
enum Role {
    Value(String),
    /// A mapping key; the full path of the entry it opens.
    Key(String),
}

impl Builder {
    /// Advance the parent by one node (sequence index, or mapping key / value) and say
    /// what this node is. `scalar` is the node's text when it is a scalar.
    fn advance(&mut self, scalar: Option<&str>) -> Role {
        match self.stack.last_mut() {
            None => Role::Value(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Role::Value(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Role::Value(join(path, &k)),
                None => {
                    // Non-scalar keys are not part of the catalog schema; "?" keeps the
                    // key/value alternation right.
                    let k = scalar.unwrap_or("?").to_string();
                    let full = join(path, &k);
                    *key = Some(k);
                    Role::Key(full)
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => match self.advance(Some(&value)) {
                Role::Value(p) => {
                    self.positions.values.insert(p, pos(&mark));
                }
                Role::Key(p) => {
                    self.positions.keys.entry(p).or_insert(pos(&mark));
                }
            },
            Event::Alias(_) => {
                if let Role::Value(p) = self.advance(None) {
                    self.positions.values.insert(p, pos(&mark));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let p = match self.advance(None) {
                    Role::Value(p) | Role::Key(p) => p,
                };
                self.positions.values.entry(p.clone()).or_insert(pos(&mark));
                if self.stack.len() >= MAX_DEPTH && self.too_deep.is_none() {
                    self.too_deep = Some(pos(&mark));
                }
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map { path: p, key: None }
                } else {
                    Frame::Seq { path: p, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Index every path of `text` (the first document). Refuses nesting deeper than
/// [`MAX_DEPTH`] wherever it occurs, even after a syntax error elsewhere.
pub fn index(text: &str) -> Result<Positions, IndexError> {
    let mut b = Builder {
        stack: Vec::new(),
        positions: Positions::default(),
        too_deep: None,
    };
    let mut parser = Parser::new_from_str(text);
    let result = parser.load(&mut b, false);
    if let Some(p) = b.too_deep {
        return Err(IndexError::TooDeep(p));
    }
    match result {
        Ok(()) => Ok(b.positions),
        // The scanner has a flow-nesting limit of its own, reached before the parser
        // hands over MAX_DEPTH collections when brackets open faster than they parse.
        Err(e) if e.info().contains("recursion limit") => Err(IndexError::TooDeep(pos(e.marker()))),
        Err(_) => Err(IndexError::Syntax {
            partial: b.positions,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }

    fn idx(text: &str) -> Positions {
        index(text).expect("valid YAML")
    }

    #[test]
    fn index_points_at_block_values() {
        let p = idx("a: 1\nlist:\n  - x: 2\n    y: [3, 4]\n  - z: 5\n");
        assert_eq!(p.find("a"), at(1, 4));
        assert_eq!(p.find("list[0].x"), at(3, 8));
        assert_eq!(p.find("list[0].y[1]"), at(4, 12));
        assert_eq!(p.find("list[1].z"), at(5, 8));
    }

    #[test]
    fn index_points_at_flow_mapping_values() {
        let p = idx("keys:\n  - {key: AB, licenses: 25}\n  - {key: CD, licenses: 5}\n");
        assert_eq!(p.find("keys[1].key"), at(3, 11));
        assert_eq!(p.find("keys[1].licenses"), at(3, 25));
    }

    #[test]
    fn index_keeps_key_positions_for_unknown_fields() {
        let p = idx("outer:\n  name: x\n  nmae: y\n");
        assert_eq!(p.find_key("outer.nmae"), at(3, 3));
        assert_eq!(p.find("outer.nmae"), at(3, 9));
        assert_eq!(p.find_key("outer.absent"), p.find("outer"));
    }

    #[test]
    fn index_falls_back_to_the_nearest_ancestor() {
        let p = idx("list:\n  - z: 5\n");
        assert_eq!(p.find("list[0].missing").line, 2);
        assert_eq!(p.find("nothing.here"), p.find(""));
    }

    #[test]
    fn index_counts_columns_in_characters_not_bytes() {
        let p = idx("name: Café\nnext: 1\nother: [é, x]\n");
        assert_eq!(p.find("other[1]"), at(3, 12));
    }

    #[test]
    fn index_tolerates_anchors_aliases_and_complex_keys() {
        let p = idx("a: &x {k: 1}\nb: *x\n? [1, 2]\n: v\nc: 3\n");
        assert_eq!(p.find("b"), at(2, 4));
        assert_eq!(p.find("c"), at(5, 4));
    }

    #[test]
    fn index_refuses_deep_flow_nesting() {
        let text = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        match index(&text) {
            Err(IndexError::TooDeep(p)) => assert_eq!(p, at(1, MAX_DEPTH + 1)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn index_refuses_deep_block_nesting() {
        let text: String = (0..MAX_DEPTH + 1)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(matches!(index(&text), Err(IndexError::TooDeep(_))));
        let ok: String = (0..MAX_DEPTH - 1)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(index(&ok).is_ok());
    }

    #[test]
    fn index_keeps_what_it_read_before_a_syntax_error() {
        match index("a: 1\nb: [1, 2\nc: 3\n") {
            Err(IndexError::Syntax { partial }) => assert_eq!(partial.find("a"), at(1, 4)),
            other => panic!("{other:?}"),
        }
    }
}
