//! `benefits import graph [--tenant T] FILE...`: what Microsoft Graph reports, read from the
//! files (`-` is standard input), matched to the catalog and written as one ledger entry
//! through `Store::execute`. A file that is not Graph's JSON writes nothing (exit 2).

use super::args::ImportGraphArgs;
use super::output::table;
use super::{Env, Failure, commit_failure, open_for_write};
use crate::domain::Entry;
use crate::domain::observation::{Observation, Source, Unmatched};
use crate::graph::Record;
use crate::graph::matching::Import;
use crate::redeem::Operation;
use serde_json::json;
use std::io::Read;
use std::path::Path;

/// Each file's records and its source (name and SHA-256), in the order given.
fn read_all(files: &[std::path::PathBuf]) -> Result<(Vec<Record>, Vec<Source>), Failure> {
    use sha2::{Digest, Sha256};
    let mut records = Vec::new();
    let mut sources = Vec::new();
    for f in files {
        let (name, bytes) = if f == Path::new("-") {
            let mut b = Vec::new();
            std::io::stdin().lock().read_to_end(&mut b).map_err(|e| {
                Failure::usage("unreadable", format!("cannot read standard input: {e}"))
            })?;
            ("-".to_string(), b)
        } else {
            let name = f.display().to_string();
            let b = std::fs::read(f)
                .map_err(|e| Failure::usage("unreadable", format!("cannot read {name}: {e}")))?;
            (name, b)
        };
        let parsed = crate::graph::parse(&bytes, &name)
            .map_err(|e| Failure::usage("invalid-graph-json", e.to_string()))?;
        records.extend(parsed);
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        sources.push(Source {
            name,
            sha256: digest,
        });
    }
    Ok((records, sources))
}

pub fn graph(env: &Env, a: &ImportGraphArgs) -> Result<(), Failure> {
    // Every file is read and checked before the ledger is opened: a bad file writes nothing.
    let (records, sources) = read_all(&a.files)?;
    let (mut portfolio, store) = open_for_write(env)?;
    let operation = Operation::ImportGraph(Import {
        records: records.clone(),
        tenant: a.tenant.clone(),
        sources,
        imported_at: crate::store::stamp_text(env.clock.now()),
    });
    let user = portfolio.catalog.user.clone();
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, env.t()))?;
    let Entry::GraphImport {
        observations,
        unmatched,
        sources,
        ..
    } = &committed.entry
    else {
        return Err(Failure::other_entry());
    };
    if env.json {
        outln!(
            "{}",
            json!({"seq": committed.seq, "observed": records.len(), "matched": observations,
                   "unmatched": unmatched, "sources": sources})
        );
        return Ok(());
    }
    let t = env.t();
    outln!(
        "#{} {}",
        committed.seq,
        crate::graph::summary(t, observations, unmatched, sources)
    );
    if !observations.is_empty() {
        outln!("{}", matched_table(env, observations));
    }
    if !unmatched.is_empty() {
        outln!("{}", t.text("graph.unmatched-heading"));
        outln!("{}", unmatched_table(env, unmatched));
    }
    Ok(())
}

fn matched_table(env: &Env, observations: &[Observation]) -> String {
    let t = env.t();
    let rows: Vec<Vec<String>> = observations
        .iter()
        .map(|o| {
            let sub = if o.graph_only {
                format!("{} ({})", o.subscription, t.text("graph.graph-only"))
            } else {
                o.subscription.clone()
            };
            vec![
                sub,
                o.product.clone(),
                o.tenant.clone(),
                format!("{} ({})", o.status.as_str(), t.status(o.status.lifecycle())),
                o.licenses.to_string(),
                o.end_date.map_or_else(|| "-".into(), |d| t.date(d)),
            ]
        })
        .collect();
    table(
        &[
            t.text("label.subscription"),
            t.text("graph.col-product"),
            t.text("label.tenant"),
            t.text("col.status"),
            t.text("label.total-licenses"),
            t.text("label.end-date"),
        ],
        &rows,
    )
}

fn unmatched_table(env: &Env, unmatched: &[Unmatched]) -> String {
    let t = env.t();
    let rows: Vec<Vec<String>> = unmatched
        .iter()
        .map(|u| vec![u.record.clone(), u.sku.clone(), u.reason.clone()])
        .collect();
    table(&["Graph id", "SKU", t.text("graph.reason")], &rows)
}
