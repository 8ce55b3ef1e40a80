//! The conventions people bring from less, vim, k9s and bottom: `/` search with `n`/`N` and
//! `Esc`, each save's diff line with a pinned baseline (`p`/`P`), and `f` to freeze reloads.
//! State transitions without a terminal, and what the screen shows at 80x24 and 160x48.

mod tui_support;

use irtop::tui::view::{Overlay, Pane};
use irtop::tui::{App, Effect, Msg, update};
use ratatui::crossterm::event::KeyCode;
use tui_support::{DIAMOND_EDITED, DIAMOND_SMALL, app, ch, key, parse, screen};

/// Types `text` key by key, asserting no key runs a command.
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(update(app, ch(c)), None, "typing {c:?} ran a command");
    }
}

/// The screen's last line: the footer.
fn footer(app: &App) -> String {
    let s = screen(app);
    s.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn slash_finds_node_11_in_the_10k_op_sample_and_selects_it() {
    let mut app = app("large_layered_10k", 160, 48);
    assert_ne!(app.selected_op(), Some("node_11"));
    update(&mut app, ch('3')); // focus elsewhere: the search brings the levels pane back
    update(&mut app, ch('/'));
    type_text(&mut app, "node_11");
    assert_eq!(app.selected_op(), Some("node_11"), "the op whose id is the query comes first");
    assert_eq!(app.view.focus, Pane::Levels);
    // node_11, node_110..node_119, node_1100..node_1199: 111 ops contain `node_11`.
    assert_eq!(app.view.search.matches.len(), 111);
    assert!(footer(&app).contains("/node_11█"), "{}", footer(&app));
    update(&mut app, key(KeyCode::Enter));
    assert!(!app.view.search.typing);
    let current = app.view.search.current;
    assert!(footer(&app).contains(&format!("match {} of 111", current + 1)), "{}", footer(&app));

    // n and N walk the matches in the levels pane's order, wrapping round like vim.
    update(&mut app, ch('n'));
    let next = app.selected_op().unwrap().to_owned();
    assert_ne!(next, "node_11");
    assert!(next.contains("node_11"), "{next}");
    update(&mut app, ch('N'));
    assert_eq!(app.selected_op(), Some("node_11"));
    // Esc clears the search; the selection stays where it was.
    update(&mut app, key(KeyCode::Esc));
    assert!(!app.view.search.is_active());
    assert_eq!(app.selected_op(), Some("node_11"));
    assert!(!footer(&app).contains("/node_11"));
}

#[test]
fn keys_typed_into_the_query_never_run_commands() {
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, ch('/'));
    // e (editor), q (quit), b (bench), r (reload), ? (help), 3 (focus) are all text here.
    type_text(&mut app, "eqbr?3");
    assert_eq!(app.view.search.query, "eqbr?3");
    assert_eq!(app.view.overlay, None);
    assert!(app.model.bench.running.is_none());
    // Backspace edits; Esc cancels, and then keys are commands again.
    update(&mut app, key(KeyCode::Backspace));
    assert_eq!(app.view.search.query, "eqbr?");
    update(&mut app, key(KeyCode::Esc));
    assert!(!app.view.search.is_active());
    update(&mut app, ch('?'));
    assert_eq!(app.view.overlay, Some(Overlay::Help));
}

#[test]
fn search_matches_op_names_and_variables_inside_loop_bodies() {
    let mut app = app("pagerank_loop", 160, 48);
    update(&mut app, ch('/'));
    type_text(&mut app, "NEIGHBOR_AGG");
    let first = app.selected_op().unwrap().to_owned();
    assert!(first.starts_with("node_11/"), "neighbor_agg lives in the loop's body: {first}");
    assert!(app.view.levels.expanded.contains("node_11"), "the loop opens to show the match");
    // A variable name: recip_5 is written by node_5 and read by the loop.
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ch('/'));
    type_text(&mut app, "recip_5");
    assert!(app.view.search.matches.iter().any(|m| m == "node_5"), "{:?}", app.view.search.matches);
    // No match: the footer says so, and Enter leaves the search with a message.
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ch('/'));
    type_text(&mut app, "zzz");
    assert!(footer(&app).contains("no match"), "{}", footer(&app));
    update(&mut app, key(KeyCode::Enter));
    assert!(footer(&app).contains("no op matches `zzz`"), "{}", footer(&app));
}

#[test]
fn search_screens() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app("large_layered_10k", w, h);
        update(&mut app, ch('/'));
        type_text(&mut app, "node_11");
        insta::assert_snapshot!(format!("search_typing_{w}x{h}"), screen(&app));
        update(&mut app, key(KeyCode::Enter));
        update(&mut app, ch('n'));
        insta::assert_snapshot!(format!("search_next_{w}x{h}"), screen(&app));
    }
}

/// Answers a file change with `json` loaded.
fn save(app: &mut App, json: &str) {
    let Some(Effect::Reload { generation }) = update(app, Msg::FileChanged) else { panic!("no reload") };
    update(app, Msg::Analysed { generation, outcome: parse(json) });
}

#[test]
fn a_save_shows_what_it_changed_and_a_pinned_baseline_is_compared() {
    let mut app = app("diamond", 160, 48);
    assert!(app.model.saves.last.is_none());
    save(&mut app, DIAMOND_EDITED);
    let d = app.model.saves.last.expect("a diff after the save");
    assert_eq!((d.added, d.removed, d.changed), (1, 0, 1));
    assert_eq!((d.before.levels, d.after.levels), (3, 4));
    let s = screen(&app);
    let line = s.lines().find(|l| l.contains("Δ save")).unwrap_or_else(|| panic!("no diff line:\n{s}"));
    assert!(line.contains("1 op added, 0 removed, 1 changed"), "{line}");
    assert!(line.contains("levels 3 → 4"), "{line}");
    assert!(line.contains("ops 6 → 7"), "{line}");

    // Pin this version; the next save is compared with the previous one and with the pin.
    update(&mut app, ch('p'));
    assert!(screen(&app).contains("⚑ pinned"), "{}", screen(&app));
    save(&mut app, DIAMOND_SMALL);
    let vs = app.model.saves.vs_baseline.expect("compared with the baseline");
    assert_eq!((vs.added, vs.removed, vs.changed), (0, 3, 1), "node_3, node_4, node_6 gone; node_5 changed");
    let s = screen(&app);
    let pinned = s.lines().find(|l| l.contains("⚑ vs pinned")).unwrap_or_else(|| panic!("no baseline line:\n{s}"));
    assert!(pinned.contains("levels 4 → 3"), "{pinned}");
    assert_eq!(app.model.saves.history.len(), 3, "the start and two saves");

    // A reload of the same content says nothing changed; P unpins.
    save(&mut app, DIAMOND_SMALL);
    assert!(screen(&app).contains("ops unchanged"));
    update(&mut app, ch('P'));
    assert!(!screen(&app).contains("⚑"));
}

#[test]
fn save_diff_screens() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = app("diamond", w, h);
        update(&mut app, ch('p'));
        save(&mut app, DIAMOND_EDITED);
        insta::assert_snapshot!(format!("save_diff_{w}x{h}"), screen(&app));
    }
}

#[test]
fn f_freezes_reloads_and_unfreezing_shows_the_latest() {
    let mut app = app("diamond", 80, 24);
    assert_eq!(update(&mut app, ch('f')), None);
    assert!(screen(&app).contains("FROZEN"));
    // A save while frozen is not reloaded, and the header says the file changed.
    assert_eq!(update(&mut app, Msg::FileChanged), None);
    assert!(screen(&app).contains("FROZEN, changed on disk"), "{}", screen(&app));
    assert_eq!(update(&mut app, ch('r')), None, "r does not reload while frozen");
    assert_eq!(app.model.snapshot.analysis.levels.len(), 3);
    // f again reloads: the latest version shows.
    let Some(Effect::Reload { generation }) = update(&mut app, ch('f')) else { panic!("unfreezing must reload") };
    update(&mut app, Msg::Analysed { generation, outcome: parse(DIAMOND_EDITED) });
    assert_eq!(app.model.snapshot.analysis.levels.len(), 4);
    assert!(!screen(&app).contains("FROZEN"));
    // Unfreezing when nothing changed does not reload.
    update(&mut app, ch('f'));
    assert_eq!(update(&mut app, ch('f')), None);
}

#[test]
fn a_reload_in_flight_when_freezing_is_held_too() {
    let mut app = app("diamond", 80, 24);
    let Some(Effect::Reload { generation }) = update(&mut app, Msg::FileChanged) else { panic!("no reload") };
    update(&mut app, ch('f'));
    update(&mut app, Msg::Analysed { generation, outcome: parse(DIAMOND_EDITED) });
    assert_eq!(app.model.snapshot.analysis.levels.len(), 3, "the frozen screen keeps its version");
    assert!(matches!(update(&mut app, ch('f')), Some(Effect::Reload { .. })));
}

#[test]
fn the_readme_conventions_table_lists_every_key_of_the_help() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme.split("**Keys and where they come from.**").nth(1).expect("the conventions table");
    let mut keys = std::collections::HashSet::new();
    for row in table.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')).skip(2) {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells.len(), 3, "a row has key, what and where: {row}");
        assert!(!cells[2].trim_end_matches(" |").trim().is_empty(), "no tool named: {row}");
        keys.extend(cells[0].trim_start_matches("| ").replace(['`', ','], " ").split_whitespace().map(str::to_owned));
    }
    for &(_, help_keys, what) in irtop::tui::panes::help::KEYS {
        for k in help_keys.split_whitespace() {
            assert!(keys.contains(k), "`{k}` ({what}) is missing from README's key table");
        }
    }
}

#[test]
fn popups_stop_scrolling_at_their_end_and_the_footer_shows_their_keys() {
    let mut app = app("pagerank_loop", 80, 24);
    update(&mut app, ch('?'));
    assert!(footer(&app).contains("Esc close"), "{}", footer(&app));
    assert!(!footer(&app).contains("Tab pane"), "the pane's keys do not work under a window: {}", footer(&app));
    for _ in 0..30 {
        update(&mut app, key(KeyCode::PageDown));
    }
    let s = screen(&app);
    // The help's last line sits on the box's last row, with no empty rows under it.
    let lines: Vec<&str> = s.lines().collect();
    let last = lines.iter().position(|l| l.contains("STALE: the file does not load")).unwrap_or_else(|| panic!("{s}"));
    assert!(lines[last + 1].contains("? or Esc closes"), "empty rows after the end:\n{s}");
    // The details of the loop (the longest text) end the same way.
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::End));
    update(&mut app, key(KeyCode::Enter));
    for _ in 0..100 {
        update(&mut app, key(KeyCode::Down));
    }
    let s = screen(&app);
    let bottom = s.lines().position(|l| l.contains("Esc/Enter close")).unwrap_or_else(|| panic!("{s}"));
    let above = s.lines().nth(bottom - 1).unwrap();
    assert!(above.chars().filter(|c| c.is_alphanumeric()).count() > 0, "the box ends in an empty row:\n{s}");
    insta::assert_snapshot!("details_scrolled_to_the_end_80x24", s);
}
