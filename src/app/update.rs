//! One action in: routed to the layer on top, or to the page when none is; the runtime's
//! answers go to the layer that waits for them, whatever lies above it by then.

use super::layout::Spot;
use super::{Action, App, Command, Effect, Layer, Notice, WizardStep, Write};
use crate::input::{Button, Event, MouseKind};
use crate::redeem::{self, Intent, Step, TextEdit};

/// The action an input event stands for in the app's current context, if any.
pub(super) fn action_for(app: &App, event: &Event) -> Option<Action> {
    Some(match event {
        Event::Key(key) => {
            let ctx = app.context();
            match app.keymap.lookup(ctx, *key) {
                Some(c) => Action::Command(c),
                None if ctx.text_field() => {
                    Action::Edit(TextEdit::Insert(key.typed()?.to_string()))
                }
                None => return None,
            }
        }
        Event::Paste(s) => Action::Edit(TextEdit::Insert(s.clone())),
        // The wheel moves what the layer on top moves with ↑/↓.
        Event::Mouse(m) => match m.kind {
            MouseKind::WheelUp => Action::Command(Command::Up),
            MouseKind::WheelDown => Action::Command(Command::Down),
            MouseKind::Press(Button::Left) => Action::Click {
                column: m.column,
                row: m.row,
            },
            _ => return None,
        },
        Event::Resize(width, height) => Action::Resize {
            width: *width,
            height: *height,
        },
    })
}

/// The whole of the app's behaviour: one action, the state changes, maybe an effect.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    let quiet = matches!(
        action,
        Action::Resize { .. }
            | Action::History(_)
            | Action::Appended(_)
            | Action::OlderHistory(_)
            | Action::LedgerBusy
    );
    if !quiet {
        app.notice = None;
    }
    match action {
        Action::Command(c) => return app.command(c),
        Action::Edit(edit) => return app.edit(edit),
        Action::Click { column, row } => return app.click(column, row),
        Action::Resize { .. } => {}
        Action::Committed(_) | Action::CommitFailed(_) | Action::StoreFailed(_) => {
            app.write_result(action)
        }
        Action::LedgerBusy => app.ledger_busy = app.layers.iter().any(Layer::waiting),
        Action::History(h) => app.set_history(h),
        Action::Appended(rows) => app.fold_appended(rows),
        Action::OlderHistory(older) => app.append_older(older),
    }
    None
}

impl App {
    /// A command for the layer on top (or the page). Help and quit mean the same on every
    /// layer that binds them.
    pub(super) fn command(&mut self, c: Command) -> Option<Effect> {
        match c {
            Command::Quit => {
                self.request_quit();
                return None;
            }
            Command::Help if !matches!(self.top(), Some(Layer::Help(_))) => {
                self.layers.push(Layer::Help(Default::default()));
                return None;
            }
            _ => {}
        }
        let Some(top) = self.layers.last_mut() else {
            return self.browse(c);
        };
        let ctx = crate::redeem::Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        match top {
            Layer::Filter => match c {
                Command::Confirm => self.close_top(),
                Command::Back => {
                    self.close_top();
                    self.filter.clear();
                    self.refilter();
                }
                Command::DeleteBack => return self.edit(TextEdit::Backspace),
                Command::ClearField => return self.edit(TextEdit::Clear),
                _ => {}
            },
            Layer::Help(h) => {
                if matches!(c, Command::Close | Command::Back) {
                    self.close_top();
                } else {
                    h.scroll = help_scroll(h.scroll, c, self.layout.help);
                }
            }
            Layer::Timeline(tl) => {
                if matches!(c, Command::Close | Command::Back) {
                    self.close_top();
                } else {
                    tl.scroll(c, self.layout.timeline.map(|w| w.visible));
                }
            }
            Layer::ConfirmQuit => match c {
                Command::Yes => self.quit = true,
                Command::No | Command::Close | Command::Back => self.close_top(),
                _ => {}
            },
            Layer::Wizard(w) => match c {
                Command::NextStep => w.next(),
                Command::PrevStep => w.previous(),
                Command::Skip => w.skip(),
                Command::Close | Command::Back => self.close_top(),
                Command::Verify if w.step == WizardStep::Activate => w.verified = !w.verified,
                Command::GetKeys if w.step == WizardStep::Activate => {
                    w.keys_shown = true;
                    if !self.user.may_view_keys() {
                        self.notice = Some(Notice::Info("wizard.no-key-permission"));
                    }
                }
                Command::Redeem if w.step == WizardStep::Activate => {
                    if !w.verified {
                        self.notice = Some(Notice::Info("wizard.verify-first"));
                    } else if w.page == super::Page::Cloud
                        && self.portfolio.cloud(w.benefit).license.is_some()
                    {
                        let b = w.benefit;
                        self.open_redeem(Some(b));
                    } else {
                        self.notice = Some(Notice::Info("wizard.not-by-key"));
                    }
                }
                _ => {}
            },
            Layer::Redeem(d) => {
                let intent = dialog_intent(&d.step, c)?;
                return self.redeem_intent(intent);
            }
            Layer::Activation(d) => {
                let keys = ctx.portfolio.software(d.benefit).keys.len();
                match c {
                    Command::NextField => d.move_field(1),
                    Command::PrevField => d.move_field(-1),
                    Command::NextChoice => d.cycle(1, keys),
                    Command::PrevChoice => d.cycle(-1, keys),
                    Command::DeleteBack => d.edit(TextEdit::Backspace),
                    Command::ClearField => d.edit(TextEdit::Clear),
                    Command::Confirm => {
                        return d.confirm(ctx).map(|r| Effect::Write(Write::Activate(r)));
                    }
                    Command::Close | Command::Back if !d.committing => self.close_top(),
                    _ => {}
                }
            }
            Layer::Credit(d) => {
                let users = d.users(ctx).len();
                match c {
                    Command::NextChoice => d.cycle_op(1),
                    Command::PrevChoice => d.cycle_op(-1),
                    Command::Up => d.move_user(-1, users),
                    Command::Down => d.move_user(1, users),
                    Command::Confirm => {
                        return d.confirm(ctx).map(|r| Effect::Write(Write::Credit(r)));
                    }
                    Command::Close | Command::Back if !d.committing => self.close_top(),
                    _ => {}
                }
            }
        }
        None
    }

    fn close_top(&mut self) {
        self.layers.pop();
    }

    /// Typed or pasted text for the focused field.
    fn edit(&mut self, edit: TextEdit) -> Option<Effect> {
        match self.layers.last_mut() {
            Some(Layer::Filter) => {
                edit.apply(&mut self.filter);
                self.refilter();
            }
            Some(Layer::Redeem(d)) => match d.step {
                Step::EnterKey => return self.redeem_intent(Intent::EditKey(edit)),
                Step::ConfirmTenant(_) => {
                    return self.redeem_intent(Intent::EditConfirmation(edit));
                }
                _ => {}
            },
            Some(Layer::Activation(d)) => d.edit(edit),
            _ => {}
        }
        None
    }

    /// A click means what the part under it means to the layer on top; parts of the
    /// layers below are covered.
    fn click(&mut self, column: u16, row: u16) -> Option<Effect> {
        match self.layout.hit(column, row, self.layers.len())? {
            Spot::Row(pos) => self.move_to(pos),
            Spot::Marker(pos) => {
                self.move_to(pos);
                return self.browse(Command::Toggle);
            }
            Spot::Tab(page) => self.page = page,
            Spot::Command(c) => return self.command(c),
        }
        None
    }

    /// An intent for the redemption dialog on top; it closes when the machine says so.
    fn redeem_intent(&mut self, intent: Intent) -> Option<Effect> {
        let ctx = crate::redeem::Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let Some(Layer::Redeem(d)) = self.layers.last_mut() else {
            return None;
        };
        let effect = d.update(ctx, intent);
        if d.is_closed() {
            self.close_top();
        }
        effect.map(|redeem::Effect::Commit(r)| Effect::Write(Write::Redeem(r)))
    }

    /// The runtime's answer to a write: for the layer waiting for it, wherever it now lies.
    fn write_result(&mut self, action: Action) {
        self.ledger_busy = false;
        let ctx = crate::redeem::Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let Some(at) = self.layers.iter().rposition(Layer::waiting) else {
            return;
        };
        let notice = match &action {
            Action::CommitFailed(r) => Some(Notice::Refused(r.clone())),
            Action::StoreFailed(e) => Some(Notice::StoreFailed(e.clone())),
            _ => None,
        };
        match &mut self.layers[at] {
            Layer::Redeem(d) => {
                let intent = match action {
                    Action::Committed(entry) => Intent::Committed(entry),
                    Action::CommitFailed(r) => Intent::CommitFailed(r),
                    // Not a rule: back to the review, nothing written; the notice says why.
                    _ => Intent::Back,
                };
                if matches!(intent, Intent::Back) {
                    self.notice = notice;
                }
                d.update(ctx, intent);
            }
            Layer::Activation(d) => {
                d.committing = false;
                d.error = notice;
            }
            Layer::Credit(d) => {
                d.committing = false;
                d.error = notice;
            }
            _ => {}
        }
        let done = match &self.layers[at] {
            Layer::Activation(d) if d.error.is_none() => Some("activation.done"),
            Layer::Credit(d) if d.error.is_none() => Some("credit.done"),
            _ => None,
        };
        if let Some(done) = done {
            self.layers.remove(at);
            self.notice = Some(Notice::Info(done));
        }
    }

    /// `q` / Ctrl-C: quits, or asks first when a layer holds typed input.
    fn request_quit(&mut self) {
        if matches!(self.top(), Some(Layer::ConfirmQuit)) {
            return;
        }
        if self.layers.iter().any(Layer::has_input) {
            self.layers.push(Layer::ConfirmQuit);
        } else {
            self.quit = true;
        }
    }
}

/// The help overlay's scroll after `c`, bounded by the help's length as last drawn (or,
/// before it was drawn, by the next frame, which reports where it stopped).
fn help_scroll(scroll: usize, c: Command, window: Option<super::layout::Window>) -> usize {
    let page = window.map_or(1, |w| w.visible.saturating_sub(1).max(1));
    let max = window.map_or(usize::MAX, |w| w.max_offset());
    match c {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll.saturating_add(1).min(max),
        Command::PageUp => scroll.saturating_sub(page),
        Command::PageDown => scroll.saturating_add(page).min(max),
        Command::Home => 0,
        Command::End => max,
        _ => scroll,
    }
}

/// What a command asks of the redemption machine at its current step.
fn dialog_intent(step: &Step, c: Command) -> Option<Intent> {
    use Command as C;
    let committing = matches!(step, Step::Committing { .. });
    Some(match (step, c) {
        // The write is under way: its answer, not a key, moves the dialog on.
        _ if committing => return None,
        (_, C::Close) => Intent::Cancel,
        (Step::Receipt { .. }, C::Back | C::Confirm) => Intent::Back,
        (_, C::Back) => Intent::Back,
        (Step::Receipt { .. }, C::RedeemAnother) => Intent::RedeemAnother,
        (Step::EnterKey, C::Confirm) => Intent::Validate,
        (Step::EnterKey, C::DeleteBack) => Intent::EditKey(TextEdit::Backspace),
        (Step::EnterKey, C::ClearField) => Intent::EditKey(TextEdit::Clear),
        (Step::ChooseTarget { .. }, C::Up) => Intent::MoveTarget(-1),
        (Step::ChooseTarget { .. }, C::Down) => Intent::MoveTarget(1),
        (Step::ChooseTarget { .. }, C::Confirm) => Intent::ChooseTarget,
        (Step::ConfirmTenant(_), C::Confirm) => Intent::ConfirmTenant,
        (Step::ConfirmTenant(_), C::DeleteBack) => Intent::EditConfirmation(TextEdit::Backspace),
        (Step::ConfirmTenant(_), C::ClearField) => Intent::EditConfirmation(TextEdit::Clear),
        (Step::ChooseMode(_), C::PrevChoice) => Intent::MoveMode(-1),
        (Step::ChooseMode(_), C::NextChoice) => Intent::MoveMode(1),
        (Step::ChooseMode(_), C::Confirm) => Intent::Review,
        (Step::ChooseMode(_) | Step::Review(_), C::Explain) => Intent::ToggleExplanation,
        (Step::Review(_), C::Confirm) => Intent::Redeem,
        _ => return None,
    })
}
