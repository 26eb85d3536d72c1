//! `benefits settings`: check the dashboard's settings file, naming every entry that is
//! left at its default (file:line:column), or print the commented defaults.

use super::{Env, Failure};
use crate::settings;
use std::path::Path;

pub fn run(env: &Env, defaults: bool, file: Option<&Path>) -> Result<(), Failure> {
    if defaults {
        out!("{}", settings::defaults_yaml());
        return Ok(());
    }
    let Some(path) = settings::locate(file) else {
        return Err(Failure::usage(
            "no-settings-file",
            "no user config directory to find settings.yaml in; pass the file: benefits settings FILE",
        ));
    };
    let t = env.t();
    let clean = |s: &str| crate::ui::text::clean(s);
    match settings::load(&path, t) {
        Err(p) => Err(Failure::usage(
            "invalid-settings",
            clean(&t.fmt("settings.kept", &[("problem", &p.at(&path))])),
        )),
        Ok((_, problems)) if !problems.is_empty() => {
            let lines: Vec<String> = problems.iter().map(|p| clean(&p.at(&path))).collect();
            Err(Failure::usage("invalid-settings", lines.join("\n")))
        }
        Ok(_) => {
            outln!("{}: ok", clean(&path.display().to_string()));
            Ok(())
        }
    }
}
