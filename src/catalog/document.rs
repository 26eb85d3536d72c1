//! The catalog as YAML sees it: a lenient model of nodes with their positions, read from
//! granit-parser's event stream in one pass. Nothing here knows the schema; `validate`
//! reads these nodes into catalog types and reports every problem.
//!
//! The document is read piece by piece: the validator enters the root mapping and the long
//! sections (a list of 100k benefits) as streams, and reads each entry or list item whole
//! into a small arena that is cleared after it, so memory follows one item, not the file.
//! Scalars borrow the text. An anchored node is copied aside, so an alias can point at it
//! from a later item; following aliases is budgeted (`ALIAS_BUDGET`), so an alias bomb
//! costs nothing. Nesting deeper than [`MAX_DEPTH`], a second document, a syntax error and
//! an alias to what cannot be kept are fatal: reading stops there.

use super::diagnostics::Pos;
use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, Span, StrInput};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

/// Deepest nesting accepted; the catalog itself is six levels deep.
pub const MAX_DEPTH: usize = 64;
/// Nodes the whole document may reach through aliases, beyond as many as it has itself:
/// aliases may at most double a large catalog, and add this much to a small one.
pub const ALIAS_BUDGET: usize = 100_000;

const NONE: u32 = u32::MAX;

/// Why reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fatal {
    Syntax { pos: Pos, message: String },
    TooDeep(Pos),
    SecondDocument(Pos),
}

pub type Id = u32;

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub pos: Pos,
    pub kind: Kind<'a>,
    /// The next node of the same collection.
    next: Id,
}

#[derive(Debug, Clone)]
pub enum Kind<'a> {
    Scalar {
        text: Cow<'a, str>,
        /// Written in quotes or as a block (`|`, `>`), or tagged `!!str`: text whatever it
        /// looks like. A plain scalar may be a number, a boolean or nothing.
        quoted: bool,
        /// Tagged with something other than YAML's core schema.
        foreign_tag: bool,
    },
    Seq {
        first: Id,
        len: u32,
    },
    /// Keys and values alternate: `len` entries are `2 * len` children.
    Map {
        first: Id,
        len: u32,
    },
    Alias(usize),
}

/// Nodes of one piece of the document, in reading order.
#[derive(Debug, Default)]
pub struct Arena<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Arena<'a> {
    pub fn clear(&mut self) {
        self.nodes.clear();
    }

    pub fn get(&self, id: Id) -> &Node<'a> {
        &self.nodes[id as usize]
    }

    /// The children of collection `id`, in order.
    pub fn children(&self, id: Id) -> Children<'_, 'a> {
        let first = match self.get(id).kind {
            Kind::Seq { first, .. } | Kind::Map { first, .. } => first,
            _ => NONE,
        };
        Children {
            arena: self,
            at: first,
        }
    }

    fn push(&mut self, node: Node<'a>) -> Id {
        self.nodes.push(node);
        (self.nodes.len() - 1) as Id
    }

    /// Copy the subtree at `id` of `from` into this arena; the copy's root.
    fn copy_from(&mut self, from: &Arena<'a>, id: Id) -> Id {
        let node = from.get(id);
        let root = self.push(Node {
            pos: node.pos,
            kind: node.kind.clone(),
            next: NONE,
        });
        let mut last = NONE;
        for child in from.children(id).map(|(c, _)| c).collect::<Vec<_>>() {
            let copied = self.copy_from(from, child);
            if last == NONE {
                match &mut self.nodes[root as usize].kind {
                    Kind::Seq { first, .. } | Kind::Map { first, .. } => *first = copied,
                    _ => {}
                }
            } else {
                self.nodes[last as usize].next = copied;
            }
            last = copied;
        }
        root
    }

    /// Nodes under `id`, itself included.
    fn size(&self, id: Id) -> usize {
        1 + self.children(id).map(|(c, _)| self.size(c)).sum::<usize>()
    }
}

pub struct Children<'r, 'a> {
    arena: &'r Arena<'a>,
    at: Id,
}

impl<'r, 'a> Iterator for Children<'r, 'a> {
    type Item = (Id, &'r Node<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.at == NONE {
            return None;
        }
        let id = self.at;
        let node = self.arena.get(id);
        self.at = node.next;
        Some((id, node))
    }
}

/// Why an alias gives no node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// Its anchor is on a section that was streamed, not kept.
    NotKept,
    /// Aliases reached more nodes than [`ALIAS_BUDGET`] allows; `first` the first time.
    OverBudget { first: bool },
}

/// What comes next in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// A node (scalar, alias or a collection that `read` reads whole or `enter` streams);
    /// `seq` for a list.
    Node {
        pos: Pos,
        collection: bool,
        seq: bool,
    },
    /// The end of the collection being streamed, or of the document.
    End,
}

pub struct Reader<'a> {
    events: Parser<'a, StrInput<'a>>,
    peeked: Option<(Event<'a>, Span)>,
    depth: usize,
    anchors: Arena<'a>,
    /// Anchor id → its copy in `anchors`, or `None` for a node that was streamed.
    anchored: HashMap<usize, Option<Id>>,
    /// Nodes reached through aliases so far, and nodes read.
    aliased: Cell<usize>,
    /// The budget was found spent (and said so) already.
    spent: Cell<bool>,
    read: usize,
    documents: usize,
}

fn pos(span: &Span) -> Pos {
    Pos {
        line: span.start.line().max(1),
        column: span.start.col() + 1,
    }
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        let options = granit_parser::options! {
            // The scanner runs a few tokens ahead of the events: its limits sit above ours.
            flow_nesting_limit: 2 * MAX_DEPTH,
            block_nesting_limit: 2 * MAX_DEPTH,
            emit_comments: false,
        };
        Reader {
            events: Parser::new_from_str_with_options(text, options),
            peeked: None,
            depth: 0,
            anchors: Arena::default(),
            anchored: HashMap::new(),
            aliased: Cell::new(0),
            spent: Cell::new(false),
            read: 0,
            documents: 0,
        }
    }

    /// The next event that matters to the document, looked at but not taken.
    fn peek(&mut self) -> Result<&(Event<'a>, Span), Fatal> {
        while self.peeked.is_none() {
            let Some(next) = self.events.next() else {
                // The parser stops after an error or the stream's end; both were seen.
                return Err(Fatal::Syntax {
                    pos: Pos::START,
                    message: "the YAML stream ended unexpectedly".into(),
                });
            };
            let (event, span) = next.map_err(|e| {
                let m = e.marker();
                let pos = Pos {
                    line: m.line().max(1),
                    column: m.col() + 1,
                };
                if matches!(e.kind(), ErrorKind::RecursionLimitExceeded) {
                    Fatal::TooDeep(pos)
                } else {
                    Fatal::Syntax {
                        pos,
                        message: e.info(),
                    }
                }
            })?;
            match event {
                Event::StreamStart | Event::DocumentEnd => {}
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Fatal::SecondDocument(pos(&span)));
                    }
                }
                Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::SequenceEnd
                | Event::MappingStart(..)
                | Event::MappingEnd
                | Event::StreamEnd => self.peeked = Some((event, span)),
                _ => {}
            }
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn take(&mut self) -> Result<(Event<'a>, Span), Fatal> {
        self.peek()?;
        Ok(self.peeked.take().expect("just peeked"))
    }

    pub fn next(&mut self) -> Result<Next, Fatal> {
        let (event, span) = self.peek()?;
        Ok(match event {
            Event::Scalar(..) | Event::Alias(_) => Next::Node {
                pos: pos(span),
                collection: false,
                seq: false,
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => Next::Node {
                pos: pos(span),
                collection: true,
                seq: matches!(event, Event::SequenceStart(..)),
            },
            _ => Next::End,
        })
    }

    /// Take the end of a streamed collection (or of the document); false when a node is next.
    pub fn end(&mut self) -> Result<bool, Fatal> {
        let (event, _) = self.peek()?;
        match event {
            Event::SequenceEnd | Event::MappingEnd => {
                self.peeked = None;
                self.depth -= 1;
                Ok(true)
            }
            // The stream's end stays for `finish`.
            Event::StreamEnd => Ok(true),
            _ => Ok(false),
        }
    }

    /// Enter the collection that is next, to read its children one by one; whether it is
    /// a mapping. An anchor on it cannot be kept: an alias to it is refused.
    pub fn enter(&mut self) -> Result<Option<bool>, Fatal> {
        let (event, span) = self.take()?;
        let (map, anchor) = match event {
            Event::MappingStart(_, anchor, _) => (true, anchor),
            Event::SequenceStart(_, anchor, _) => (false, anchor),
            other => {
                self.peeked = Some((other, span));
                return Ok(None);
            }
        };
        self.deeper(&span)?;
        if anchor != 0 {
            self.anchored.insert(anchor, None);
        }
        Ok(Some(map))
    }

    fn deeper(&mut self, span: &Span) -> Result<(), Fatal> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Fatal::TooDeep(pos(span)));
        }
        Ok(())
    }

    /// Read the next node whole into `arena`.
    pub fn read(&mut self, arena: &mut Arena<'a>) -> Result<Id, Fatal> {
        let (event, span) = self.take()?;
        let at = pos(&span);
        let (kind, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let core = tag.as_ref().map(|t| t.core_suffix());
                let kind = Kind::Scalar {
                    text,
                    quoted: style != ScalarStyle::Plain || matches!(core, Some(Some("str"))),
                    foreign_tag: matches!(core, Some(None)),
                };
                (kind, anchor)
            }
            Event::Alias(anchor) => (Kind::Alias(anchor), 0),
            Event::SequenceStart(_, anchor, _) => (
                Kind::Seq {
                    first: NONE,
                    len: 0,
                },
                anchor,
            ),
            Event::MappingStart(_, anchor, _) => (
                Kind::Map {
                    first: NONE,
                    len: 0,
                },
                anchor,
            ),
            _ => {
                return Err(Fatal::Syntax {
                    pos: at,
                    message: "a value was expected here".into(),
                });
            }
        };
        let collection = matches!(kind, Kind::Seq { .. } | Kind::Map { .. });
        let id = arena.push(Node {
            pos: at,
            kind,
            next: NONE,
        });
        self.read += 1;
        if collection {
            self.deeper(&span)?;
            let mut last = NONE;
            let mut count = 0u32;
            while !self.end()? {
                let child = self.read(arena)?;
                if last == NONE {
                    match &mut arena.nodes[id as usize].kind {
                        Kind::Seq { first, .. } | Kind::Map { first, .. } => *first = child,
                        _ => {}
                    }
                } else {
                    arena.nodes[last as usize].next = child;
                }
                last = child;
                count += 1;
            }
            match &mut arena.nodes[id as usize].kind {
                Kind::Seq { len, .. } => *len = count,
                Kind::Map { len, .. } => *len = count / 2,
                _ => {}
            }
        }
        if anchor != 0 {
            let copy = self.anchors.copy_from(arena, id);
            self.anchored.insert(anchor, Some(copy));
        }
        Ok(id)
    }

    /// The node an alias stands for: in the anchors' arena, charged to the alias budget.
    pub fn resolve(&self, anchor: usize) -> Result<(&Arena<'a>, Id), Unresolved> {
        let id = (self.anchored.get(&anchor).copied().flatten()).ok_or(Unresolved::NotKept)?;
        self.aliased.set(self.aliased.get() + self.anchors.size(id));
        if self.aliased.get() > ALIAS_BUDGET + self.read {
            return Err(Unresolved::OverBudget {
                first: !self.spent.replace(true),
            });
        }
        Ok((&self.anchors, id))
    }

    /// After the root node: nothing but the end of the stream may follow.
    pub fn finish(&mut self) -> Result<(), Fatal> {
        match self.take()? {
            (Event::StreamEnd, _) => Ok(()),
            (_, span) => Err(Fatal::Syntax {
                pos: pos(&span),
                message: "more content after the document's end".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
