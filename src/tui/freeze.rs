//! `f` freezes the screen (bottom's freeze, tokio-console's pause): saves are not reloaded
//! while frozen, the header says FROZEN (and whether the file changed since), and `f` again
//! reloads so the latest version shows.

use super::app::App;
use super::effect::Effect;

/// Whether reloads are held, and whether one was held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Freeze {
    /// Reloads are held.
    pub on: bool,
    /// The file changed (or a reload finished) while frozen.
    pub(crate) missed: bool,
}

/// `f`: freeze, or unfreeze and reload when something was held.
pub(crate) fn toggle(app: &mut App) -> Option<Effect> {
    let freeze = &mut app.model.freeze;
    if !freeze.on {
        *freeze = Freeze { on: true, missed: false };
        app.view.status = Some("frozen: saves are not reloaded until f is pressed again".into());
        return None;
    }
    let missed = freeze.missed;
    *freeze = Freeze::default();
    if missed {
        app.view.status = Some("unfrozen: loading the latest version".into());
        Some(Effect::Reload { generation: app.model.reload.start() })
    } else {
        app.view.status = Some("unfrozen: the file did not change meanwhile".into());
        None
    }
}

/// True (and the change remembered) when a file change or a reload result must wait
/// because the screen is frozen.
pub(crate) fn hold(app: &mut App) -> bool {
    if app.model.freeze.on {
        app.model.freeze.missed = true;
    }
    app.model.freeze.on
}
