//! `{name}` placeholders.

/// Replace each `{name}` with the value of the param called `name`; a param that is not
/// supplied becomes the empty string, a param the template does not use is ignored. A `{`
/// without a closing `}` is kept as it is.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        if let Some((_, v)) = params.iter().find(|(n, _)| *n == name) {
            out.push_str(v);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The placeholder names a template uses, in order, repeats included.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}
