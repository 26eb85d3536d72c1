//! The Consumption page: per license product, what the organization is entitled to, what it
//! uses per country and worldwide and what Graph last reported assigned, against each cap
//! (`domain::caps::usage`, the record `benefits usage` prints). Computed when the portfolio
//! moves on; the filter and the sort only pick and order the products.

use super::{App, Command, Page, TableState};
use crate::domain::caps::{Usage, locations, usage};

/// The order of the products (`s` cycles, `S` turns it round).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Catalog,
    Product,
    /// Most used worldwide first.
    Used,
    /// Least room left under the caps first (uncapped last).
    Room,
}

impl Order {
    const CYCLE: [Order; 4] = [Order::Catalog, Order::Product, Order::Used, Order::Room];

    pub fn label_id(self) -> &'static str {
        match self {
            Order::Catalog => "sort.catalog",
            Order::Product => "graph.col-product",
            Order::Used => "consumption.col-used",
            Order::Room => "consumption.col-room",
        }
    }
}

/// One product's record and the countries it lists: under a per-country cap every country
/// of the organization's locations, and every country something is used in.
#[derive(Debug, Clone)]
pub struct Product {
    pub usage: Usage,
    pub countries: Vec<String>,
}

impl Product {
    /// The least room any of its caps leaves (None: uncapped).
    fn least_room(&self) -> Option<u32> {
        let rooms = self.countries.iter().filter_map(|c| self.usage.room_in(c));
        rooms.chain(self.usage.room_worldwide()).min()
    }
}

#[derive(Debug, Default)]
pub struct ConsumptionView {
    pub products: Vec<Product>,
    /// `rows` index `products`.
    pub table: TableState,
    pub order: Order,
    pub descending: bool,
    /// Graph has reported what is assigned for some product.
    pub observed: bool,
    /// `Portfolio::last_seq` when computed.
    stamp: Option<i64>,
}

impl ConsumptionView {
    /// The sort arrow's direction (None in catalog order): most used runs down, the rest up.
    pub fn arrow(&self) -> Option<bool> {
        match self.order {
            Order::Catalog => None,
            Order::Used => Some(!self.descending),
            _ => Some(self.descending),
        }
    }

    pub fn selected(&self) -> Option<&Product> {
        self.products
            .get(*self.table.rows.get(self.table.selected)?)
    }
}

impl App {
    /// Count again when the portfolio moved on, then pick and order the products; the
    /// selection stays on its product while that is still listed. Only while the page is
    /// shown: a catalog's products are counted when someone looks (showing the page
    /// brings it up to date), not at every start.
    pub(super) fn refilter_consumption(&mut self) {
        if self.page != Page::Consumption {
            return;
        }
        let v = &mut self.consumption;
        if v.stamp != Some(self.portfolio.last_seq) {
            let mut at: Vec<String> = (locations(&self.portfolio).into_iter())
                .map(|l| l.country)
                .collect();
            at.sort();
            at.dedup();
            v.products = (usage(&self.portfolio).into_iter())
                .map(|u| {
                    let mut countries = match u.per_country {
                        Some(_) => at.clone(),
                        None => Vec::new(),
                    };
                    countries.extend(u.used.keys().cloned());
                    countries.sort();
                    countries.dedup();
                    Product {
                        usage: u,
                        countries,
                    }
                })
                .collect();
            v.observed = v.products.iter().any(|p| p.usage.consumed.is_some());
            v.stamp = Some(self.portfolio.last_seq);
        }
        // A selection moved off the top stays on its product; on the top it stays there.
        let was = (v.selected().map(|p| p.usage.product.clone())).filter(|_| v.table.selected > 0);
        let needle = self.filter.trim().to_lowercase();
        let keeps = |p: &Product| {
            needle.is_empty()
                || p.usage.product.to_lowercase().contains(&needle)
                || p.countries.iter().any(|c| c.to_lowercase() == needle)
        };
        let products = &v.products;
        let mut rows: Vec<usize> = (0..products.len())
            .filter(|&i| keeps(&products[i]))
            .collect();
        if v.descending {
            rows.reverse();
        }
        match v.order {
            Order::Catalog => {}
            Order::Product => {
                rows.sort_by_cached_key(|&i| products[i].usage.product.to_lowercase())
            }
            Order::Used => {
                rows.sort_by_key(|&i| std::cmp::Reverse(products[i].usage.used_worldwide))
            }
            Order::Room => rows.sort_by_key(|&i| products[i].least_room().unwrap_or(u32::MAX)),
        }
        if v.descending {
            rows.reverse();
        }
        let keep = (was.as_ref()).and_then(|name| {
            rows.iter()
                .position(|&i| products[i].usage.product == *name)
        });
        v.table.replace_rows(rows, keep);
    }

    /// A page command the Consumption page answers itself: true when it did.
    pub(super) fn consumption_command(&mut self, c: Command) -> bool {
        let v = &mut self.consumption;
        match c {
            Command::Sort => {
                v.order = super::views::next_of(&Order::CYCLE, v.order);
                v.descending = false;
            }
            Command::SortReverse if v.order != Order::Catalog => v.descending = !v.descending,
            // Nothing to open or pick here: every number is on the page already.
            Command::Open
            | Command::Toggle
            | Command::Expand
            | Command::Collapse
            | Command::ExpandAll
            | Command::CollapseAll
            | Command::QuickFilter
            | Command::SortReverse => return true,
            _ => return false,
        }
        self.refilter_consumption();
        true
    }

    /// Whether the Consumption page's footer offers `c`.
    pub(super) fn consumption_offers(&self, c: Command) -> bool {
        let v = &self.consumption;
        match c {
            Command::Sort => v.products.len() > 1,
            Command::SortReverse => v.order != Order::Catalog && v.table.rows.len() > 1,
            Command::ClearFilters => !self.filter.is_empty(),
            _ => false,
        }
    }
}
