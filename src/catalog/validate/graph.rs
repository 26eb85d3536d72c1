//! The catalog's fields for Microsoft Graph across items: a `tenant_id` names one tenant,
//! a `graph_id` one subscription.

use super::rules::Parts;
use crate::catalog::diagnostics::Report;
use std::collections::HashMap;

/// Microsoft's ids name one thing: a tenant_id one tenant, a graph_id one subscription
/// (GUIDs compare ignoring case).
pub fn graph_ids(report: &mut Report, parts: &Parts<'_>) {
    let mut tenants: HashMap<String, &str> = HashMap::new();
    for (t, (i, m)) in &parts.tenants.items {
        let Some(g) = &t.tenant_id else { continue };
        match tenants.get(&g.to_ascii_lowercase()) {
            Some(first) => report.at(
                m.tenant_id,
                &format!("tenants[{i}].tenant_id"),
                format!("the tenant id {g} is tenant {first}'s already"),
                "give each tenant its own directory's tenant id",
            ),
            None => {
                tenants.insert(g.to_ascii_lowercase(), &t.id);
            }
        }
    }
    let mut subs: HashMap<String, &str> = HashMap::new();
    let mut pos = parts.spans.graph_ids.iter();
    for (b, m) in &parts.cloud.items {
        for (s, sub) in b
            .license
            .iter()
            .flat_map(|l| l.subscriptions.iter().enumerate())
        {
            let at = pos.next().copied().unwrap_or_default();
            let Some(g) = &sub.graph_id else { continue };
            match subs.get(&g.to_ascii_lowercase()) {
                Some(first) => report.at(
                    at,
                    &format!(
                        "cloud_benefits[{}].license.subscriptions[{s}].graph_id",
                        m.item
                    ),
                    format!("the graph_id {g} is subscription {first}'s already"),
                    "a Graph subscription is one catalog subscription: remove one of them",
                ),
                None => {
                    subs.insert(g.to_ascii_lowercase(), &sub.id);
                }
            }
        }
    }
}
