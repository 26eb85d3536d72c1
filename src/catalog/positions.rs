//! Where each value of a YAML document stands: `cloud_benefits[3].license.keys[1].key`
//! → line and column. serde_yaml does not keep spans, so a marked event parse builds this
//! index; rule errors found after deserializing can then still point into the file.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct Positions {
    map: HashMap<String, Pos>,
}

impl Positions {
    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => {
                    return self
                        .map
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, column: 1 });
                }
            }
        }
    }
}

pub enum IndexError {
    TooDeep(Pos),
    Syntax { pos: Pos, message: String },
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
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

impl Builder {
    /// The path the next value gets, advancing the parent (sequence index, or mapping key/value).
    fn next_value_path(&mut self, is_scalar_key: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                }),
                None => {
                    // This event is a key.
                    *key = Some(is_scalar_key.unwrap_or("?").to_string());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_value_path(Some(&value)) {
                    self.positions.map.insert(p, pos(&mark));
                } else if let Some(Frame::Map { path, .. }) = self.stack.last() {
                    // Remember where the key stands too: unknown fields are reported there.
                    let p = if path.is_empty() {
                        value
                    } else {
                        format!("{path}.{value}")
                    };
                    self.positions.map.entry(p).or_insert(pos(&mark));
                }
            }
            Event::Alias(_) => {
                self.next_value_path(Some("?"));
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let p = self.next_value_path(None).unwrap_or_else(|| "?".into());
                self.positions.map.insert(p.clone(), pos(&mark));
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
        Err(e) if e.info().contains("recursion limit") => Err(IndexError::TooDeep(Pos {
            line: e.marker().line(),
            column: e.marker().col() + 1,
        })),
        Err(e) => Err(IndexError::Syntax {
            pos: Pos {
                line: e.marker().line(),
                column: e.marker().col() + 1,
            },
            message: e.info().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_point_at_values_and_keys() {
        let text = "a: 1\nlist:\n  - x: 2\n    y: [3, 4]\n  - z: 5\n";
        let Ok(p) = index(text) else { panic!() };
        assert_eq!(p.find("a"), Pos { line: 1, column: 4 });
        assert_eq!(p.find("list[0].x"), Pos { line: 3, column: 8 });
        assert_eq!(
            p.find("list[0].y[1]"),
            Pos {
                line: 4,
                column: 12
            }
        );
        assert_eq!(p.find("list[1].z"), Pos { line: 5, column: 8 });
        assert_eq!(
            p.find("list[1].missing").line,
            5,
            "falls back to the enclosing item"
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(index(&text), Err(IndexError::TooDeep(_))));
    }
}
