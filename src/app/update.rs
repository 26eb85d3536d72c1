//! One action in: routed to the layer on top, or to the page when none is; the runtime's
//! answers go to the layer that waits for them, whatever lies above it by then.

use super::layout::Spot;
use super::{Action, App, Command, Effect, Layer, Notice, intents};
use crate::input::{Button, Event, MouseKind};
use crate::redeem::{
    ActivationIntent, ActivationStep, CreditIntent, CreditStep, Intent, Step, TextEdit,
};

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
    let page = app.page;
    let ledger = matches!(
        action,
        Action::History(_) | Action::Appended(_) | Action::OlderHistory(_)
    );
    let effect = apply(app, action);
    if ledger || app.page != page {
        // The views follow the ledger, and a view just shown catches up with it (each
        // finds out itself whether anything moved).
        app.refilter_views();
    }
    effect
}

fn apply(app: &mut App, action: Action) -> Option<Effect> {
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
            Command::Copy | Command::CopyKey => {
                self.copy(c);
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
        if let Layer::Palette(_) = top {
            return self.palette_command(c);
        }
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
            Layer::Wizard(_) => self.wizard_command(c),
            Layer::Redeem(d) => {
                let intent = intents::redemption(&d.step, c)?;
                return self.redeem_intent(intent);
            }
            Layer::Activation(d) => {
                let effect = d.update(ctx, intents::activation(d, c)?);
                if d.is_closed() {
                    self.close_top();
                }
                return effect;
            }
            Layer::Credit(d) => {
                let effect = d.update(ctx, intents::credit(d, c)?);
                if d.is_closed() {
                    self.close_top();
                }
                return effect;
            }
            Layer::KeyLines(_) => return self.key_lines_command(c),
            Layer::Palette(_) => {}
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
            Some(Layer::Palette(_)) => return self.palette_edit(edit),
            Some(Layer::Redeem(d)) => match d.step {
                Step::EnterKey => return self.redeem_intent(Intent::EditKey(edit)),
                Step::ConfirmTenant(_) => {
                    return self.redeem_intent(Intent::EditConfirmation(edit));
                }
                _ => {}
            },
            Some(Layer::Activation(d)) => {
                let ctx = crate::redeem::Ctx {
                    portfolio: &self.portfolio,
                    user: &self.user,
                    today: self.today,
                };
                d.update(ctx, ActivationIntent::Edit(edit));
            }
            _ => {}
        }
        None
    }

    /// A click means what the part under it means to the layer on top; parts of the
    /// layers below are covered.
    fn click(&mut self, column: u16, row: u16) -> Option<Effect> {
        // The key lines' cursor draws nothing of its own, so it covers nothing: a click
        // answers as the page would, and the cursor goes back to it.
        if matches!(self.top(), Some(Layer::KeyLines(_))) {
            self.layout.hit(column, row, self.layers.len() - 1)?;
            self.layers.pop();
        }
        match self.layout.hit(column, row, self.layers.len())? {
            Spot::Row(pos) => self.move_to(pos),
            Spot::Marker(pos) => {
                self.move_to(pos);
                return self.browse(Command::Toggle);
            }
            Spot::Key { pos, key } => {
                self.move_to(pos);
                self.pick_key(key);
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
        effect
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
        // A ledger failure is not a rule: the dialog goes back to its review, nothing
        // written, and the notice says why.
        if let Action::StoreFailed(e) = &action {
            self.notice = Some(Notice::StoreFailed(e.clone()));
        }
        let done = match &mut self.layers[at] {
            Layer::Redeem(d) => {
                d.update(
                    ctx,
                    match action {
                        Action::Committed(entry) => Intent::Committed(entry),
                        Action::CommitFailed(r) => Intent::CommitFailed(r),
                        _ => Intent::Back,
                    },
                );
                None
            }
            Layer::Activation(d) => {
                d.update(
                    ctx,
                    match action {
                        Action::Committed(entry) => ActivationIntent::Committed(entry),
                        Action::CommitFailed(r) => ActivationIntent::CommitFailed(r),
                        _ => ActivationIntent::Back,
                    },
                );
                matches!(d.step, ActivationStep::Done { .. }).then_some("activation.done")
            }
            Layer::Credit(d) => {
                d.update(
                    ctx,
                    match action {
                        Action::Committed(entry) => CreditIntent::Committed(entry),
                        Action::CommitFailed(r) => CreditIntent::CommitFailed(r),
                        _ => CreditIntent::Back,
                    },
                );
                matches!(d.step, CreditStep::Done { .. }).then_some("credit.done")
            }
            _ => None,
        };
        if let Some(done) = done {
            self.layers.remove(at);
            self.notice = Some(Notice::Done(done));
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
