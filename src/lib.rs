//! `benefits`: Microsoft AI Cloud Partner Program benefits in the terminal.
//! Core (pure): `domain`, `licensing`, `redeem`. Edges: `catalog`, `store`, `cli`.

pub mod app;
pub mod ascii;
pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod domain;
pub mod files;
pub mod fuzz;
pub mod graph;
pub mod i18n;
pub mod input;
pub mod licensing;
pub mod platform;
pub mod redeem;
pub mod runtime;
pub mod serve;
pub mod settings;
pub mod startup_trace;
pub mod store;
pub mod tui;
pub mod ui;
