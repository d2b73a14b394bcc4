//! The page's colour tokens, in one place for the canvases and the controls.
//!
//! Two ways were open: the canvases could read the CSS custom properties once at start
//! (`getComputedStyle`), or the colours could live here and the CSS repeat them. They live
//! here: the canvases then need no DOM read, no string parsing in wasm, no fallback for a
//! property that failed to load, and the pixel path of large clusters gets its RGB bytes at
//! compile time ([`rgb`]). The CSS (`www/style.css`, `:root`) declares the same values under
//! the names in [`TOKENS`], and a host test reads the stylesheet and fails when one of them
//! differs or is missing, so the two cannot drift apart.
//!
//! The node states keep the Okabe-Ito palette (distinguishable with every common colour-vision
//! deficiency); every state also has a second cue that needs no colour (see the lab's `draw`).
//! The controls use the same hues: the accent (focus, the pressed Play, the selected group) is
//! the Okabe-Ito bluish green of the selection on the canvas.

/// The page behind everything.
pub const PAGE: &str = "#f6f6f4";
/// Panels, canvases and fields.
pub const SURFACE: &str = "#ffffff";
/// Body text.
pub const INK: &str = "#1a1a1a";
/// Secondary text (hints, axis labels).
pub const INK_MUTED: &str = "#4d4d4d";
/// Panel borders and rules.
pub const LINE: &str = "#d4d4cf";
/// Chart grid lines.
pub const GRID: &str = "#e6e6e6";
/// Chart axes and their labels.
pub const AXIS: &str = "#444444";
/// Nodes holding the newest version (Okabe-Ito vermillion); the run's curve.
pub const INFORMED: &str = "#D55E00";
/// Nodes holding nothing yet (Okabe-Ito blue, hollow rings); the recurrence curve.
pub const UNINFORMED: &str = "#0072B2";
/// Uninformed nodes too small for a ring: a light fill, told apart by lightness.
pub const UNINFORMED_SMALL: &str = "#8cc3e8";
/// Nodes holding an older version (Okabe-Ito orange, a thick ring).
pub const OLDER: &str = "#E69F00";
/// Nodes that know but stopped spreading (rumor mongering; squares).
pub const REMOVED: &str = "#555555";
/// Crashed nodes (a cross).
pub const DOWN: &str = "#999999";
/// The outline of nodes informed in the round just run, and messages bringing news.
pub const NEW: &str = "#000000";
/// The inspected node, the selected group, the lasso (Okabe-Ito bluish green); the accent of
/// the controls.
pub const SELECTED: &str = "#009E73";
/// Requests, feedback and messages that bring nothing new (Okabe-Ito sky blue).
pub const MESSAGE_EMPTY: &str = "#56B4E9";
/// Messages per round on the chart (Okabe-Ito reddish purple); the cut-off shade's hue.
pub const MESSAGES: &str = "#CC79A7";
/// The dashed ring of nodes cut off, and the bar of a message a partition stopped.
pub const CUT: &str = "#8a3d6a";
/// The cross of a message a link lost.
pub const LOST: &str = "#b2182b";
/// The notice band.
pub const NOTICE: &str = "#fff4d6";
/// Its border.
pub const NOTICE_LINE: &str = "#e0b84c";

/// Every token by its CSS custom property: the stylesheet must declare each one with this
/// value (checked by a test; nothing in the app reads the list, so it costs no code size).
pub const TOKENS: [(&str, &str); 21] = [
    ("--page", PAGE),
    ("--surface", SURFACE),
    ("--ink", INK),
    ("--ink-muted", INK_MUTED),
    ("--line", LINE),
    ("--grid", GRID),
    ("--axis", AXIS),
    ("--informed", INFORMED),
    ("--uninformed", UNINFORMED),
    ("--uninformed-small", UNINFORMED_SMALL),
    ("--older", OLDER),
    ("--removed", REMOVED),
    ("--down", DOWN),
    ("--new", NEW),
    ("--selected", SELECTED),
    ("--message-empty", MESSAGE_EMPTY),
    ("--messages", MESSAGES),
    ("--cut", CUT),
    ("--lost", LOST),
    ("--notice", NOTICE),
    ("--notice-line", NOTICE_LINE),
];

/// The RGB bytes of a `#rrggbb` token, at compile time (the pixel path of large clusters
/// writes bytes, not strings). A malformed token fails the build.
pub const fn rgb(hex: &str) -> [u8; 3] {
    let b = hex.as_bytes();
    assert!(b.len() == 7 && b[0] == b'#', "a token is #rrggbb");
    [byte(b[1], b[2]), byte(b[3], b[4]), byte(b[5], b[6])]
}

const fn byte(hi: u8, lo: u8) -> u8 {
    nibble(hi) * 16 + nibble(lo)
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not a hex digit"),
    }
}

/// The canvases' type: the page's own font stack at `px` canvas pixels, with a weight.
pub fn font(weight: u16, px: f64) -> String {
    format!("{weight} {px}px system-ui, sans-serif")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_declares_every_colour_token_with_the_canvas_value() {
        let css = include_str!("../../../www/style.css").to_ascii_lowercase();
        let root = css
            .split_once(":root")
            .and_then(|(_, rest)| rest.split_once('}'))
            .map(|(body, _)| body)
            .expect("style.css has a :root block");
        for (name, value) in TOKENS {
            let want = format!("{name}: {};", value.to_ascii_lowercase());
            assert!(root.contains(&want), "style.css :root lacks `{want}`");
        }
    }

    #[test]
    fn tokens_convert_to_their_bytes() {
        assert_eq!(rgb(INFORMED), [0xD5, 0x5E, 0x00]);
        assert_eq!(rgb(UNINFORMED_SMALL), [0x8c, 0xc3, 0xe8]);
        assert_eq!(rgb(SURFACE), [255, 255, 255]);
    }
}
