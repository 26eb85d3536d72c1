//! `benefits settings --defaults`: every setting at its default, with what it means. The
//! key bindings are written from the keymap's own default table, so the text cannot drift
//! from what the dashboard does (a test parses it back to the defaults).

use super::SORTS;
use crate::app::keymap::default_rows;
use crate::app::{Command, Context};
use crate::ui::theme::{Role, Scheme};
use std::fmt::Write;

const HEAD: &str = "\
# benefits settings: settings.yaml beside config.yaml (Linux ~/.config/benefits/), or
# --settings FILE, or BENEFITS_SETTINGS. Everything below is the default: keep only
# what you change. The dashboard reads the file again when it changes; an edit it cannot
# read keeps the settings it had and says why (file:line:column).

# Language when --lang is not given: en-US, nl-NL or sv-SE (unset: the catalog's
# language, then LANG).
# language: en-US

# Colours: a scheme (dark, light, high-contrast) and, per role, a colour of your own:
# a name (red, light-blue, dark-gray, ...), an index 0-255 or #rrggbb. The terminal's
# type decides how much of it shows (none on dumb and vt100, 16 on linux, more when
# TERM or COLORTERM says so).
theme:
  name: dark
  colors: {}
";

/// The commented defaults.
pub fn defaults_yaml() -> String {
    let mut out = String::from(HEAD);
    let schemes: Vec<&str> = <Scheme as strum::VariantArray>::VARIANTS
        .iter()
        .map(|s| <&str>::from(*s))
        .collect();
    let roles: Vec<&str> = <Role as strum::VariantArray>::VARIANTS
        .iter()
        .map(|r| <&str>::from(*r))
        .collect();
    let _ = writeln!(out, "  # schemes: {}", schemes.join(", "));
    let _ = writeln!(out, "  # roles: {}", roles.join(", "));
    let _ = writeln!(
        out,
        "  # colors:\n  #   title: \"#005fd7\"\n  #   due: magenta"
    );
    let sorts: Vec<&str> = SORTS.iter().map(|(n, _)| *n).collect();
    let _ = write!(
        out,
        "\n# The sort each page starts with: {}.\nsort:\n  cloud: catalog\n  software: catalog\n",
        sorts.join(", ")
    );
    out.push_str(
        "\n# Mouse: clicks select and press, the wheel scrolls (false leaves the mouse to the\n\
         # terminal, for selecting text).\nmouse: true\n\
         \n# y copies the selected key, domain or id to the clipboard over OSC 52.\ncopy: true\n",
    );
    out.push_str(
        "\n# Keys per context: KEY: ACTION adds KEY to ACTION (taking it from whatever it did\n\
         # before), KEY: none unbinds it. Keys: a character, Enter, Esc, Tab, S-Tab, Bksp,\n\
         # Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12, with C-, A-, S- prefixes.\n\
         # Ctrl-C always quits; in a context that types (filter, enter-key, confirm-tenant,\n\
         # activation, palette) only keys with C- or A- can be bound.\n",
    );
    let actions: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
    let _ = writeln!(out, "# Actions: {}.", actions.join(", "));
    out.push_str("keys:\n");
    for ctx in Context::EVERY {
        let _ = writeln!(out, "  {}:", ctx.name());
        for (keys, command) in default_rows(ctx) {
            for key in keys.split(' ') {
                // Quoted: YAML 1.1 readers take a bare yes/no for a boolean.
                let _ = writeln!(
                    out,
                    "    {:<8} \"{}\"",
                    format!("\"{key}\":"),
                    command.name()
                );
            }
        }
    }
    out
}
