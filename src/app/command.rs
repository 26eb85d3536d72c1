//! What a key, a click or the command palette asks of the layer on top. Each
//! command has a stable name, which is how a settings file will bind keys to it, and a
//! default help text for a binding that does not bring its own.

use std::str::FromStr;

macro_rules! commands {
    ($($variant:ident = $name:literal, $help:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $($variant),*
        }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            /// The name a settings file uses.
            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name),*
                }
            }

            /// i18n id of what the command does, for bindings without a text of their own.
            pub fn help_id(self) -> &'static str {
                match self {
                    $(Command::$variant => $help),*
                }
            }
        }
    };
}

commands! {
    Up = "up", "key.move";
    Down = "down", "key.move";
    PageUp = "page-up", "key.page";
    PageDown = "page-down", "key.page";
    Home = "first", "key.home-end";
    End = "last", "key.home-end";
    Open = "open", "key.open";
    Toggle = "toggle", "key.toggle";
    Expand = "expand", "key.expand";
    Collapse = "collapse", "key.collapse";
    NextPage = "next-page", "key.next-page";
    PrevPage = "previous-page", "key.prev-page";
    CloudPage = "page-cloud", "page.cloud";
    SoftwarePage = "page-software", "page.software";
    HistoryPage = "page-history", "page.history";
    ReconcilePage = "page-reconcile", "page.reconcile";
    ConsumptionPage = "page-consumption", "page.consumption";
    Filter = "filter", "key.filter";
    QuickFilter = "quick-filter", "key.quick-filter";
    Sort = "sort", "key.sort";
    SortReverse = "sort-reverse", "key.sort-reverse";
    ExpandAll = "expand-all", "key.expand-all";
    CollapseAll = "collapse-all", "key.collapse-all";
    ClearFilters = "clear-filters", "key.clear-filters";
    Redeem = "redeem", "key.redeem";
    Activate = "activate", "key.activate";
    Credit = "credit", "key.credit";
    Wizard = "walkthrough", "key.wizard";
    Timeline = "timeline", "key.timeline";
    Help = "help", "key.help";
    Close = "close", "key.close";
    Back = "back", "key.back";
    Quit = "quit", "key.quit";
    Confirm = "confirm", "key.confirm";
    NextField = "next-field", "key.next-field";
    PrevField = "previous-field", "key.prev-field";
    NextChoice = "next-choice", "key.change-choice";
    PrevChoice = "previous-choice", "key.change-choice";
    DeleteBack = "delete-back", "key.backspace";
    ClearField = "clear-field", "key.clear-field";
    Explain = "explain", "label.how-calculated";
    RedeemAnother = "redeem-another", "key.redeem-another";
    NextStep = "next-step", "button.next";
    PrevStep = "previous-step", "button.previous";
    Skip = "skip", "button.skip";
    Verify = "verify", "key.verify";
    GetKeys = "get-keys", "button.get-keys";
    Keyless = "redeem-keyless", "key.keyless";
    Yes = "yes", "key.quit-yes";
    No = "no", "key.quit-no";
    Palette = "palette", "key.palette";
    Copy = "copy", "key.copy";
    CopyKey = "copy-key", "key.copy-key";
}

impl Command {
    /// Moving through a list or text: offered only where there is something to scroll to.
    pub fn scrolls(self) -> bool {
        matches!(
            self,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Home
                | Command::End
        )
    }

    /// Moving about (rows, pages): what a footer short of room leaves out first, since
    /// every user knows the arrows and Tab and the help lists them.
    pub fn moves(self) -> bool {
        self.scrolls() || matches!(self, Command::NextPage | Command::PrevPage)
    }
}

impl FromStr for Command {
    type Err = String;
    fn from_str(s: &str) -> Result<Command, String> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("{s:?} is not a command"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_unique_name_that_reads_back() {
        let mut names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len());
        for c in Command::ALL {
            assert_eq!(c.name().parse::<Command>(), Ok(*c));
        }
    }
}
