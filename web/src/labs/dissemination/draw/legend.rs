//! The cluster's legend, once for the page and the exported figure: each mark the canvas draws,
//! with the words that name it. The page shows it as a list of CSS swatches (`.sw.<class>`,
//! coloured by the same tokens); the exported PNG draws each swatch with [`swatch`].

use core::f64::consts::TAU;

use web_sys::CanvasRenderingContext2d;

use super::*;

/// A mark of the cluster canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled dot.
    Informed,
    /// A filled dot with a dark outline.
    Fresh,
    /// A hollow ring.
    Uninformed,
    /// A thick yellow ring.
    Older,
    /// A grey square (rumor mongering only).
    Removed,
    /// A grey cross.
    Down,
    /// A shaded, dashed ring.
    Cut,
    /// A small dark dot.
    Message,
    /// A small light-blue dot.
    MessageEmpty,
    /// A red cross at the end of a stub.
    Lost,
    /// A purple bar at the end of a stub.
    Stopped,
}

/// The legend's rows in order: the mark, its CSS swatch classes and text, and its words.
pub const LEGEND: [(Mark, &str, &str, &str); 11] = [
    (
        Mark::Informed,
        "sw filled",
        "",
        "holds the newest version (filled)",
    ),
    (
        Mark::Fresh,
        "sw fresh",
        "",
        "learned it this round (outlined)",
    ),
    (
        Mark::Uninformed,
        "sw hollow",
        "",
        "holds nothing yet (hollow)",
    ),
    (
        Mark::Older,
        "sw older",
        "",
        "holds an older version (thick ring)",
    ),
    (
        Mark::Removed,
        "sw removed",
        "",
        "knows, stopped spreading (square)",
    ),
    (Mark::Down, "sw down", "×", "crashed (cross)"),
    (
        Mark::Cut,
        "sw cut",
        "",
        "cut off by a partition (shaded, dashed ring)",
    ),
    (
        Mark::Message,
        "sw msg",
        "",
        "message bringing the newest version",
    ),
    (
        Mark::MessageEmpty,
        "sw msg empty",
        "",
        "request, feedback or nothing new",
    ),
    (
        Mark::Lost,
        "sw drop lost",
        "×",
        "message lost on its link (or over the in-flight limit): a short stub and a cross",
    ),
    (
        Mark::Stopped,
        "sw drop cut",
        "|",
        "message stopped by a partition: a short stub and a bar",
    ),
];

/// The legend's rows for a run (rumor mongering's stopped nodes only where they can occur).
pub fn rows(
    rumor: bool,
) -> impl Iterator<Item = &'static (Mark, &'static str, &'static str, &'static str)> {
    LEGEND.iter().filter(move |r| rumor || r.0 != Mark::Removed)
}

/// One row of the exported figure's legend: a mark of the cluster, or a disc of a colour (the
/// shades of what a node lacks, [`super::lacking`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Swatch {
    /// A mark, drawn by [`swatch`].
    Mark(Mark),
    /// A filled disc of this colour.
    Disc(&'static str),
}

/// The figure's legend rows: the page's [`LEGEND`] rows for the run, or with `lacking` the
/// rows of the canvas shaded by what each node lacks (as the page's lacking legend).
pub fn figure_rows(rumor: bool, lacking: bool) -> Vec<(Swatch, String)> {
    if !lacking {
        return rows(rumor)
            .map(|(m, _, _, words)| (Swatch::Mark(*m), words.to_string()))
            .collect();
    }
    let mut out = vec![(
        Swatch::Disc(COLOUR_INFORMED),
        "holds every newest version".to_string(),
    )];
    for (i, shade) in super::lacking::LACK_SHADES.iter().enumerate() {
        out.push((Swatch::Disc(shade), super::lacking::shade_words(i)));
    }
    for (m, words) in [
        (Mark::Down, "crashed (cross)"),
        (Mark::Cut, "cut off by a partition (shaded)"),
        (
            Mark::Message,
            "message bringing the tracked key's newest version",
        ),
    ] {
        out.push((Swatch::Mark(m), words.to_string()));
    }
    out
}

/// Draws mark `m` centred at (`x`, `y`), `r` logical pixels in radius, as the cluster draws it.
pub fn swatch(ctx: &CanvasRenderingContext2d, m: Mark, x: f64, y: f64, r: f64) {
    let p = Point { x, y };
    let ring = |colour: &str, width: f64, radius: f64| {
        ctx.begin_path();
        let _ = ctx.arc(x, y, radius, 0.0, TAU);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width);
        ctx.stroke();
    };
    let disc = |colour: &str, radius: f64| {
        ctx.begin_path();
        let _ = ctx.arc(x, y, radius, 0.0, TAU);
        ctx.set_fill_style_str(colour);
        ctx.fill();
    };
    let lines = |colour: &str, path: &dyn Fn()| {
        ctx.begin_path();
        path();
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(2.0);
        ctx.stroke();
    };
    match m {
        Mark::Informed => disc(COLOUR_INFORMED, r),
        Mark::Fresh => {
            disc(COLOUR_INFORMED, r);
            ring(COLOUR_NEW_OUTLINE, 1.5, r + 1.5);
        }
        Mark::Uninformed => ring(COLOUR_UNINFORMED, 1.5, r - 0.75),
        Mark::Older => ring(COLOUR_OLDER, 3.0, r - 1.5),
        Mark::Removed => {
            ctx.set_fill_style_str(COLOUR_REMOVED);
            ctx.fill_rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
        }
        Mark::Down => lines(COLOUR_DOWN, &|| cross(ctx, p, r * 0.8)),
        Mark::Cut => {
            disc(COLOUR_CUT_SHADE, r + 1.0);
            set_dash(ctx, &[2.0, 2.0]);
            ring(COLOUR_CUT_RING, 1.0, r + 1.0);
            set_dash(ctx, &[]);
        }
        Mark::Message => disc(COLOUR_MESSAGE_RUMOR, r * 0.45),
        Mark::MessageEmpty => disc(COLOUR_MESSAGE_EMPTY, r * 0.45),
        Mark::Lost => lines(COLOUR_MESSAGE_LOST, &|| cross(ctx, p, r * 0.7)),
        Mark::Stopped => lines(COLOUR_CUT_RING, &|| {
            ctx.move_to(x, y - r);
            ctx.line_to(x, y + r);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figure_legend_follows_the_shading() {
        let plain = figure_rows(false, false);
        assert_eq!(plain.len(), rows(false).count());
        let lacking = figure_rows(true, true);
        assert_eq!(lacking[0].1, "holds every newest version");
        assert_eq!(
            lacking[1],
            (
                Swatch::Disc("#c6dbef"),
                "lacks 1 newest version".to_string()
            )
        );
        assert!(lacking.iter().all(|(s, _)| *s != Swatch::Mark(Mark::Older)));
    }
}
