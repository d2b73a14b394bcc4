//! The cluster shaded by what each node lacks (runs with anti-entropy repair): a node holding
//! every newest version is a filled orange dot, as "holds the newest version" is elsewhere; a
//! node lacking some is a blue disc, darker the more it lacks, with the count written inside
//! where the dot is large enough (a cue that needs no colour); a crashed node is a cross.
//!
//! The counts are the model's ([`crate::labs::dissemination::model::Engine::lacking`]), at the
//! end of the round shown: while a round is animated the shading already shows its end.

use web_sys::CanvasRenderingContext2d;

use super::*;

/// Shades for 1 to 6 and [`LACK_BINS`] or more newest versions lacked: a sequential blue ramp
/// (ColorBrewer "Blues", 7 classes), ordered by lightness, so it reads in grey too.
pub const LACK_SHADES: [&str; LACK_BINS] = [
    "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b",
];
/// Counts drawn in their own shade; a larger count shares the last (the count written inside
/// still tells them apart). The repair scenario tracks 8 keys.
pub const LACK_BINS: usize = 7;
/// From this shade on the count inside is written in white, on the lighter ones in black.
const LACK_LIGHT_TEXT_FROM: usize = 3;
/// Dots at least this large carry their count inside.
const COUNT_TEXT_RADIUS_PX: f64 = 6.0;

/// The shade index of a node lacking `count` (≥ 1) newest versions.
pub fn shade_index(count: u32) -> usize {
    (count.max(1) as usize).min(LACK_BINS) - 1
}

/// The legend's words for shade `i`.
pub fn shade_words(i: usize) -> String {
    match i + 1 {
        1 => "lacks 1 newest version".to_string(),
        n if n == LACK_BINS => format!("lacks {n} or more"),
        n => format!("lacks {n}"),
    }
}

/// What one node looks like in this mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// Crashed.
    Down,
    /// Holds every newest version.
    Complete,
    /// Lacks this many (≥ 1).
    Lacks(u32),
}

/// Draws nodes `0..n` at `pts` (radius `r`) by what they lack; `cut` are the nodes cut off by a
/// partition (shaded behind, as in the other mode). `look(i)` says how node `i` looks.
pub fn nodes(
    ctx: &CanvasRenderingContext2d,
    (width, height): (f64, f64),
    pts: &[Point],
    r: f64,
    cut: &[u32],
    look: &dyn Fn(u32) -> Look,
) {
    super::cluster::ground(ctx, (width, height), pts, r, cut);
    let small = r < 2.5;
    let n = pts.len() as u32;
    let fill = |colour: &str, which: &dyn Fn(Look) -> bool| {
        ctx.begin_path();
        for i in (0..n).filter(|&i| which(look(i))) {
            dot(ctx, pts[i as usize], r, small);
        }
        ctx.set_fill_style_str(colour);
        ctx.fill();
    };
    fill(COLOUR_INFORMED, &|l| l == Look::Complete);
    for (s, shade) in LACK_SHADES.iter().enumerate() {
        fill(
            shade,
            &|l| matches!(l, Look::Lacks(c) if shade_index(c) == s),
        );
    }
    ctx.begin_path();
    for i in (0..n).filter(|&i| look(i) == Look::Down) {
        cross(ctx, pts[i as usize], r * 0.8);
    }
    ctx.set_stroke_style_str(COLOUR_DOWN);
    ctx.set_line_width(2.0);
    ctx.stroke();
    if r >= COUNT_TEXT_RADIUS_PX {
        counts(ctx, pts, r, look);
    }
}

/// The count inside each dot that lacks something.
fn counts(ctx: &CanvasRenderingContext2d, pts: &[Point], r: f64, look: &dyn Fn(u32) -> Look) {
    ctx.set_font(&format!(
        "bold {:.0}px system-ui, sans-serif",
        (r * 1.1).min(14.0)
    ));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for (i, p) in pts.iter().enumerate() {
        if let Look::Lacks(c) = look(i as u32) {
            let light = shade_index(c) >= LACK_LIGHT_TEXT_FROM;
            ctx.set_fill_style_str(if light { "#ffffff" } else { "#000000" });
            let _ = ctx.fill_text(&c.to_string(), p.x, p.y + 0.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_has_a_shade_and_the_last_shade_takes_the_rest() {
        assert_eq!(shade_index(1), 0);
        assert_eq!(shade_index(4), 3);
        assert_eq!(shade_index(7), LACK_BINS - 1);
        assert_eq!(shade_index(40), LACK_BINS - 1);
        assert_eq!(shade_words(0), "lacks 1 newest version");
        assert_eq!(shade_words(LACK_BINS - 1), "lacks 7 or more");
    }
}
