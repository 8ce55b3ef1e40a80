//! Nothing is cut without `…` (issue 16), checked exactly: an IR whose op ids, op names and
//! variable names are 60 characters long is drawn with each pane focused (and zoomed) at
//! 80x24, 120x30, 160x48 and 60x16, and every place on screen where one of those names
//! starts must show the whole name or a start of it followed by `…`; a piece of a name that
//! does not start it must follow a `…`. The names are made of letters no other text on
//! screen uses that way (`Q`, then `i`, `o` or `v`, two digits and `q`s), so any other cut
//! of them, by a column, a border or the screen's edge, fails the test.

mod tui_support;

use irtop::tui::{App, Msg, Theme, update};
use tui_support::{THREADS, ch, parse, screen};

/// Length of every generated name.
const NAME: usize = 60;

/// The name of kind `kind` (`i` id, `o` op, `v` variable) number `n`: `Qi07qqq…q`.
fn name(kind: char, n: usize) -> String {
    let head = format!("Q{kind}{n:02}");
    format!("{head}{}", "q".repeat(NAME - head.len()))
}

/// A diamond of `width` ops between a source and a sink, then a second diamond, all with
/// long ids, long (unknown) op names and long variable names: wide levels, groups with
/// several shared inputs and outputs, findings that name them.
fn long_names_ir(width: usize) -> String {
    let mut nodes = Vec::new();
    let mut n = 0;
    let mut node = |op: String, inputs: Vec<String>, nodes: &mut Vec<serde_json::Value>| {
        let out = name('v', n);
        nodes.push(serde_json::json!({"id": name('i', n), "domain": "core", "op_type": op,
            "inputs": inputs, "output": out, "metadata": {}}));
        n += 1;
        out
    };
    let source = node("init_nodes".into(), vec![], &mut nodes);
    let mut last = vec![source];
    for _ in 0..2 {
        let mids: Vec<String> = (0..width).map(|k| node(name('o', k), last.clone(), &mut nodes)).collect();
        let sink = node(name('o', 90), mids, &mut nodes);
        last = vec![sink];
    }
    serde_json::to_string_pretty(&serde_json::json!({"name": "long_names", "nodes": nodes})).unwrap()
}

/// Every generated name on a screen of `long_names_ir`.
fn names(width: usize) -> Vec<String> {
    let ops = 2 * (width + 1) + 1;
    let mut all: Vec<String> = (0..ops).flat_map(|n| [name('i', n), name('v', n)]).collect();
    all.extend((0..width).chain([90]).map(|k| name('o', k)));
    all
}

/// Characters that start a word of a name on screen.
fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The word (run of letters, digits and `_`) of `row` starting at `x`.
fn word_at(row: &[char], x: usize) -> String {
    row[x..].iter().take_while(|&&c| word(c)).collect()
}

/// Box borders: a wrapped word goes on from the left border of the next row.
const BORDERS: [char; 2] = ['│', '┃'];

/// Where the rest `rest` of a name that reached a right border goes on, wrapped, on the
/// next row `below` (just right of a left border), itself whole or wrapped again; the
/// starting columns of those pieces go into `pieces`.
fn wraps_on(rows: &[Vec<char>], below: usize, rest: &str, pieces: &mut Vec<(usize, usize)>) -> bool {
    let Some(row) = rows.get(below) else { return false };
    (1..row.len()).any(|x| {
        if !BORDERS.contains(&row[x - 1]) {
            return false;
        }
        let piece = word_at(row, x);
        let whole = !piece.is_empty() && piece == rest;
        let again = !piece.is_empty()
            && rest.starts_with(&piece)
            && row.get(x + piece.len()).is_some_and(|c| BORDERS.contains(c))
            && wraps_on(rows, below + 1, &rest[piece.len()..], pieces);
        if whole || again {
            pieces.push((below, x));
        }
        whole || again
    })
}

/// The places on `screen` where a generated name is cut without `…`, as `row:column: text`.
/// A name wrapped onto the next row of its box (nothing lost) is not a cut.
fn silent_cuts(screen: &str, names: &[String]) -> Vec<String> {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.trim_matches('"').chars().collect()).collect();
    let mut found = Vec::new();
    let mut pieces = Vec::new();
    for (y, cells) in rows.iter().enumerate() {
        let mut x = 0;
        while x < cells.len() {
            if !word(cells[x]) || (x > 0 && word(cells[x - 1])) {
                x += 1;
                continue;
            }
            let run = word_at(cells, x);
            let end = x + run.chars().count();
            let before = x.checked_sub(1).map(|k| cells[k]);
            if run.starts_with('Q') {
                // The name whose start the run shows the most of.
                let (shown, name) = names
                    .iter()
                    .map(|n| (n.chars().zip(run.chars()).take_while(|(a, b)| a == b).count(), n))
                    .max()
                    .unwrap_or((0, &names[0]));
                let whole = shown == NAME && run.len() == NAME;
                let cut_with_ellipsis = shown == run.len() && cells.get(end) == Some(&'…');
                let wrapped = shown == run.len()
                    && cells.get(end).is_some_and(|c| BORDERS.contains(c))
                    && wraps_on(&rows, y + 1, &name[shown..], &mut pieces);
                if shown >= 2 && !whole && !cut_with_ellipsis && !wrapped {
                    found.push(format!("{y}:{x}: {run}"));
                }
            } else if run.chars().filter(|&c| c == 'q').count() >= 3
                && run.chars().all(|c| c == 'q' || c.is_ascii_digit())
                && before != Some('…')
                && !pieces.contains(&(y, x))
            {
                // The end of a name whose start is not on screen.
                found.push(format!("{y}:{x}: {run}"));
            }
            x = end;
        }
    }
    found
}

/// The app on the long-names IR at `w` x `h`.
fn app(w: u16, h: u16) -> App {
    let snapshot = parse(&long_names_ir(12)).unwrap_or_else(|e| panic!("{e:?}"));
    let mut app = App::new("long_names.json".into(), snapshot, THREADS, Theme::colored());
    update(&mut app, Msg::Resize(w, h));
    app
}

#[test]
fn the_scan_finds_a_name_cut_by_a_border_and_accepts_one_ending_in_an_ellipsis() {
    let names = names(12);
    let id = &names[0];
    let cut = format!("│ {} │", &id[..20]);
    assert_eq!(silent_cuts(&cut, &names).len(), 1, "{cut}");
    let cut = format!("│ {}…│", &id[..20]);
    assert!(silent_cuts(&cut, &names).is_empty(), "{cut}");
    let whole = format!("│ *{id} Qo01 │");
    assert_eq!(silent_cuts(&whole, &names), [format!("0:{}: Qo01", 3 + NAME + 1)], "{whole}");
    let tail = format!("│{}│", &id[30..]);
    assert_eq!(silent_cuts(&tail, &names).len(), 1, "{tail}");
    assert!(silent_cuts(&format!("│…{}│", &id[30..]), &names).is_empty());
    // Wrapped onto the next row of its box, nothing is lost; a wrap whose rest is not
    // there is a cut.
    let wrapped = format!("│{}│\n│{} is unknown│", &id[..50], &id[50..]);
    assert!(silent_cuts(&wrapped, &names).is_empty(), "{wrapped}");
    let lost = format!("│{}│\n│{} is unknown│", &id[..50], &id[52..]);
    assert_eq!(silent_cuts(&lost, &names).len(), 2, "the cut start and the orphaned end: {lost}");
}

#[test]
fn every_pane_shows_long_names_whole_or_ending_in_an_ellipsis() {
    let names = names(12);
    for (w, h) in [(80, 24), (120, 30), (160, 48), (60, 16)] {
        let mut app = app(w, h);
        let mut seen = 0;
        for pane in ['1', '2', '3', '4', '5'] {
            update(&mut app, ch(pane));
            // Along the widest level too, where the levels pane skips ops with `… `.
            for keys in [&[][..], &['j'], &['j', 'l', 'l', 'l', 'l', 'l', 'l']] {
                for &k in keys {
                    update(&mut app, ch(k));
                }
                for zoom in [false, true] {
                    if zoom {
                        update(&mut app, ch('z'));
                    }
                    let s = screen(&app);
                    let cuts = silent_cuts(&s, &names);
                    assert!(cuts.is_empty(), "{w}x{h}, pane {pane}: cut without …: {cuts:?}\n{s}");
                    seen += s.matches('Q').count();
                    if zoom {
                        update(&mut app, ch('z'));
                    }
                }
            }
        }
        assert!(seen > 0, "{w}x{h}: the names are on screen");
    }
}
