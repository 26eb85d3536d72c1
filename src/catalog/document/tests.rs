//! The document reader alone: positions, streaming, the document's own limits.

use super::*;

fn at(line: usize, column: usize) -> Pos {
    Pos { line, column }
}

/// Every node of the first document, read whole: (position, scalar text or kind).
fn nodes(text: &str) -> Result<Vec<(Pos, String)>, Fatal> {
    let mut r = Reader::new(text);
    let mut arena = Arena::default();
    r.read(&mut arena)?;
    r.finish()?;
    Ok(arena
        .nodes
        .iter()
        .map(|n| {
            let what = match &n.kind {
                Kind::Scalar { text, .. } => text.to_string(),
                Kind::Seq { len, .. } => format!("[{len}]"),
                Kind::Map { len, .. } => format!("{{{len}}}"),
                Kind::Alias(_) => "*".into(),
            };
            (n.pos, what)
        })
        .collect())
}

#[test]
fn nodes_stand_where_they_are_written_in_characters() {
    let n = nodes("a: 1\nlist:\n  - x: 2\n    y: [3, é, 4]\n  - {z: 5}\n").unwrap();
    let find = |s: &str| n.iter().find(|(_, w)| w == s).unwrap().0;
    assert_eq!(
        find("{2}"),
        at(1, 1),
        "a block mapping starts at its first key"
    );
    assert_eq!(find("1"), at(1, 4));
    assert_eq!(find("[2]"), at(3, 3));
    assert_eq!(find("x"), at(3, 5));
    assert_eq!(find("4"), at(4, 15), "columns count characters, not bytes");
    assert_eq!(find("{1}"), at(5, 5), "a flow mapping starts at its brace");
}

#[test]
fn quoted_and_block_scalars_are_text_and_tags_are_told_apart() {
    let mut r =
        Reader::new("- plain\n- 'quoted'\n- |\n  block\n- !!str 12\n- !!int 12\n- !custom x\n");
    let mut arena = Arena::default();
    let root = r.read(&mut arena).unwrap();
    let got: Vec<(bool, bool)> = arena
        .children(root)
        .map(|(_, n)| match n.kind {
            Kind::Scalar {
                quoted,
                foreign_tag,
                ..
            } => (quoted, foreign_tag),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        got,
        [
            (false, false),
            (true, false),
            (true, false),
            (true, false),
            (false, false),
            (false, true)
        ]
    );
}

#[test]
fn a_second_document_is_fatal_at_its_marker() {
    assert_eq!(
        nodes("a: 1\n---\nb: 2\n"),
        Err(Fatal::SecondDocument(at(2, 1)))
    );
    assert!(nodes("--- \na: 1\n...\n").is_ok(), "one explicit document");
}

#[test]
fn nesting_past_the_limit_is_fatal_at_the_first_level_too_deep() {
    let flow = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(nodes(&flow), Err(Fatal::TooDeep(at(1, MAX_DEPTH + 1))));
    let unclosed = "{a: ".repeat(100_000);
    assert!(matches!(nodes(&unclosed), Err(Fatal::TooDeep(_))));
    let block: String = (0..MAX_DEPTH + 1)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    assert!(matches!(
        nodes(&format!("{block}  x\n")),
        Err(Fatal::TooDeep(_))
    ));
    let ok: String = (0..MAX_DEPTH - 1)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    assert!(nodes(&ok).is_ok());
}

#[test]
fn a_syntax_error_says_where() {
    match nodes("a: 1\nb: [1, 2\nc: 3\n") {
        Err(Fatal::Syntax { pos, message }) => {
            assert!(pos.line >= 2, "{pos:?}");
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn streamed_items_are_read_one_at_a_time_and_anchors_outlive_their_item() {
    let mut r = Reader::new("list:\n  - &a {k: 1}\n  - *a\n  - x\nnext: 2\n");
    let mut arena = Arena::default();
    assert_eq!(r.enter(), Ok(Some(true)));
    r.read(&mut arena).unwrap();
    assert!(matches!(r.next(), Ok(Next::Node { seq: true, .. })));
    assert_eq!(r.enter(), Ok(Some(false)));
    let mut kinds = Vec::new();
    while !r.end().unwrap() {
        arena.clear();
        let id = r.read(&mut arena).unwrap();
        assert_eq!(
            arena.nodes.len(),
            if id == 0 { arena.nodes.len() } else { 0 }
        );
        kinds.push(arena.get(id).kind.clone());
    }
    assert_eq!(kinds.len(), 3);
    let Kind::Alias(anchor) = kinds[1] else {
        panic!("{kinds:?}")
    };
    let (anchors, id) = r.resolve(anchor).unwrap();
    assert!(matches!(anchors.get(id).kind, Kind::Map { len: 1, .. }));
    arena.clear();
    r.read(&mut arena).unwrap();
    r.read(&mut arena).unwrap();
    assert!(r.end().unwrap());
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn following_aliases_is_budgeted_once_over_the_whole_document() {
    let mut r = Reader::new("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n");
    let mut arena = Arena::default();
    r.read(&mut arena).unwrap();
    let mut spent = 0;
    while r.resolve(1).is_ok() {
        spent += 10;
        assert!(spent <= ALIAS_BUDGET + 100);
    }
    assert_eq!(
        r.resolve(1).unwrap_err(),
        Unresolved::OverBudget { first: false }
    );
    assert!(spent >= ALIAS_BUDGET);
}
