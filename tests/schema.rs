//! The catalog's JSON Schema (`benefits schema catalog`) and the loader agree. An
//! independent validator (the `jsonschema` crate) checks catalogs converted from YAML to
//! JSON by another YAML reader (serde-saphyr): every good catalog passes, and on the bad
//! corpus the schema refuses exactly where the loader reports a type, enum or field error
//! (the problems a schema can state), value by value.

mod common;

use benefits::catalog;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&catalog::schema::catalog())
        .expect("the catalog schema is a valid JSON Schema")
}

/// The YAML as JSON, read by another YAML reader than the loader's; `None` when it is not
/// one YAML document of plain data (a syntax error, a second document).
fn as_json(yaml: &str) -> Option<Value> {
    serde_saphyr::from_str(yaml).ok()
}

/// Where the schema refuses `json`: JSON pointers to the refused values.
fn schema_refusals(v: &jsonschema::Validator, json: &Value) -> BTreeSet<String> {
    let evaluation = v.evaluate(json);
    // The leaves of the evaluation: where a value is refused, not the `anyOf` around it.
    // Its "not null" branch only says the value is something (the other branch judges it).
    let other_branch = |e: &jsonschema::ErrorEntry<'_>| {
        e.schema_location.ends_with("/anyOf/1/type")
            && e.error.to_string().ends_with("is not of type \"null\"")
    };
    let refusals = evaluation.iter_errors().filter(|e| !other_branch(e));
    refusals
        .map(|e| e.instance_location.as_str().to_string())
        .collect()
}

/// The loader's messages that state what a schema states: a value's type or format, a
/// name outside an enum, a field that is unknown or missing.
fn is_typing(message: &str) -> bool {
    const TYPING: &[&str] = &[
        " must be text, found",
        " must be a whole number",
        " must be zero or more",
        " must be at most ",
        " must be true or false",
        " must be a list",
        " must be one of the listed values",
        "expected a mapping of fields",
        "the catalog must be a mapping",
        "expected a date YYYY-MM-DD",
        "malformed product key",
        "unknown field `",
        "unknown section `",
        "missing field `",
        "missing section `",
        "unknown walkthrough `",
        "unknown language `",
        "only `disabled` may be set",
    ];
    let one_of = message.starts_with("unknown ") && message.contains(", expected one of ");
    one_of || TYPING.iter().any(|t| message.contains(t))
}

/// A loader path (`cloud_benefits[3].license.keys[1]`) as a JSON pointer.
fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        out.push('/');
        out.push_str(pieces.next().unwrap_or_default());
        for index in pieces {
            out.push('/');
            out.push_str(index.trim_end_matches(']'));
        }
    }
    out
}

/// Where the loader reports a typing problem. An unknown field or section is a problem of
/// the mapping that holds it, as a schema's `additionalProperties` sees it.
fn loader_refusals(yaml: &str, name: &str) -> BTreeSet<String> {
    let Err(errors) = catalog::load_str(yaml, name) else {
        return BTreeSet::new();
    };
    (errors.0.iter())
        .filter(|e| is_typing(&e.message))
        .map(|e| {
            let unknown = ["unknown field `", "unknown section `"]
                .iter()
                .find_map(|p| e.message.strip_prefix(p))
                .and_then(|rest| rest.split_once("`, expected").map(|(name, _)| name));
            match unknown {
                // The name may hold any character: it is cut off whole, not parsed.
                Some(name) => {
                    let holder = e
                        .path
                        .strip_suffix(name)
                        .expect("the path ends in the name");
                    pointer(holder.trim_end_matches('.'))
                }
                None => pointer(&e.path),
            }
        })
        .collect()
}

fn good_corpus() -> Vec<(String, String)> {
    let mut generated = Vec::new();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    benefits::cli::generate::write_catalog(&mut generated, 200, 7, today).unwrap();
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    vec![
        ("config.example.yaml".into(), read("config.example.yaml")),
        (
            "tests/fixtures/cli.yaml".into(),
            read("tests/fixtures/cli.yaml"),
        ),
        (
            "generate-catalog".into(),
            String::from_utf8(generated).unwrap(),
        ),
        (
            "the store tests' catalog".into(),
            common::catalog_yaml(3, true),
        ),
    ]
}

#[test]
fn the_good_corpus_validates_against_the_schema() {
    let v = validator();
    for (name, yaml) in good_corpus() {
        catalog::load_str(&yaml, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let json = as_json(&yaml).unwrap_or_else(|| panic!("{name} reads as JSON"));
        let refused: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(refused.is_empty(), "{name}: {refused:#?}");
    }
}

#[test]
fn the_schema_refuses_a_bad_catalog_exactly_where_the_loader_reports_a_typing_error() {
    let v = validator();
    let dir = root().join("tests/fixtures/bad");
    let mut typed = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let loader = loader_refusals(&yaml, &name);
        let Some(json) = as_json(&yaml) else {
            assert!(loader.is_empty(), "{name}: {loader:?} but not YAML data");
            continue;
        };
        let schema = schema_refusals(&v, &json);
        assert_eq!(
            schema, loader,
            "{name}: the schema's refusals, then the loader's"
        );
        if !loader.is_empty() {
            typed.push(name);
        }
    }
    typed.sort();
    // The corpus holds typing errors of each kind: if these stop being found, the check
    // above compares nothing.
    for name in [
        "bad_date.yaml",
        "bad_key.yaml",
        "count_limits.yaml",
        "negative_licenses.yaml",
        "two_digit_year.yaml",
        "unknown_field.yaml",
        "unknown_walkthrough.yaml",
        "wrong_type.yaml",
    ] {
        assert!(typed.iter().any(|t| t == name), "{name} in {typed:?}");
    }
}

/// The value schema a path of `catalog::MAPPINGS` names (`tenants[].users[]`), with `$ref`s
/// followed and the `null` alternative of an optional field set aside.
fn schema_at<'s>(schema: &'s Value, path: &str) -> &'s Value {
    let resolve = |mut v: &'s Value| loop {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            v = schema
                .pointer(r.trim_start_matches('#'))
                .expect("a $ref resolves");
        } else if let Some(any) = v.get("anyOf").and_then(Value::as_array) {
            v = any
                .iter()
                .find(|a| a["type"] != "null")
                .expect("a non-null branch");
        } else {
            return v;
        }
    };
    let mut at = resolve(schema);
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, items) = match part.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (part, false),
        };
        at = resolve(&at["properties"][name]);
        if items {
            at = resolve(&at["items"]);
        }
    }
    at
}

/// Every mapping reachable in the schema, by the same kind of path as `MAPPINGS`.
fn schema_mappings(schema: &Value) -> BTreeSet<String> {
    fn visit(schema: &Value, path: String, out: &mut BTreeSet<String>) {
        let at = schema_at(schema, &path);
        let Some(props) = at.get("properties").and_then(Value::as_object) else {
            return;
        };
        out.insert(path.clone());
        for (name, _) in props {
            let field = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            let v = schema_at(schema, &field);
            if v.get("items").is_some() {
                visit(schema, format!("{field}[]"), out);
            } else {
                visit(schema, field, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    visit(schema, String::new(), &mut out);
    out
}

#[test]
fn every_field_the_validator_accepts_is_in_the_schema_and_no_other() {
    let schema = catalog::schema::catalog();
    for (path, fields) in catalog::MAPPINGS {
        let at = schema_at(&schema, path);
        let props: BTreeSet<&str> = at["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("`{path}` is a mapping in the schema"))
            .keys()
            .map(String::as_str)
            .collect();
        let accepted: BTreeSet<&str> = fields.iter().copied().collect();
        assert_eq!(
            props, accepted,
            "fields of `{path}`: the schema's, then the validator's"
        );
        assert_eq!(
            at["additionalProperties"], false,
            "`{path}` refuses unknown fields"
        );
    }
    let validated: BTreeSet<String> = catalog::MAPPINGS
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(
        schema_mappings(&schema),
        validated,
        "the mappings: the schema's, then the validator's"
    );
}

/// Whether `text` matches the pattern of the value schema at `pointer`, as the validator
/// crate reads the pattern.
fn matches(schema: &Value, pointer: &str, text: &str) -> bool {
    let mut one = schema
        .pointer(pointer)
        .expect("the pattern's schema")
        .clone();
    one["type"] = "string".into();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&one)
        .unwrap()
        .is_valid(&Value::from(text))
}

#[test]
fn the_schemas_patterns_accept_what_the_loader_reads() {
    let schema = catalog::schema::catalog();
    let keys = [
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LA",
        "m3e3a7qxrt4hdpc2vwnbk25la",
        " m3e3a 7qxrt 4hdpc 2vwnb k25la ",
        "M3E3A--7QXRT-4HDPC-2VWNB-K25LA",
        "M3E3-A7QXRT-4HDPC-2VWNB-K25LA",
        "-M3E3A-7QXRT-4HDPC-2VWNB-K25LA",
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LA-",
        "M3E3A-7QXRT-4HDPC-2VWNB-K25L",
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LAB",
        "M3E3A_7QXRT_4HDPC_2VWNB_K25LA",
        "",
    ];
    for k in keys {
        let loader = benefits::domain::ProductKey::parse(k).is_ok();
        assert_eq!(
            matches(&schema, "/$defs/ProductKey", k),
            loader,
            "key {k:?}"
        );
    }
    let languages = [
        "en-US",
        "nl",
        "SV_se.UTF-8",
        "nl_BE@euro",
        " nl-nl ",
        "fr-FR",
        "nld",
        "",
        "C",
    ];
    for l in languages {
        let loader = benefits::i18n::Lang::parse(l).is_some();
        assert_eq!(
            matches(&schema, "/properties/language", l),
            loader,
            "language {l:?}"
        );
    }
    let dates = [
        "2027-06-30",
        "2028-02-29",
        "2027-02-29",
        "27-06-30",
        "2027-6-30",
        "2027/06/30",
    ];
    for d in dates {
        let loader = benefits::domain::date_field::parse_iso(d).is_ok();
        assert_eq!(matches(&schema, "/$defs/Date", d), loader, "date {d:?}");
    }
}

#[test]
fn benefits_schema_catalog_prints_the_schema_config_example_points_at() {
    let out = assert_cmd::Command::cargo_bin("benefits")
        .unwrap()
        .args(["schema", "catalog"])
        .output()
        .unwrap();
    common::assert_success(&out);
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed, catalog::schema::catalog());
    let example = std::fs::read_to_string(root().join("config.example.yaml")).unwrap();
    let first = example.lines().next().unwrap();
    let file = first
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("config.example.yaml starts with the yaml-language-server line");
    let committed = std::fs::read_to_string(root().join(file)).unwrap();
    assert_eq!(
        committed,
        String::from_utf8(out.stdout).unwrap(),
        "{file} is stale: run `cargo run -- schema catalog > {file}`"
    );
}
