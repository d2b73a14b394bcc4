//! The membership matrix: one row per observer, one column per member, each cell the colour of
//! the state the observer holds the member in (blank: the observer is down; white: it never
//! heard of the member). Above [`MATRIX_NODES_MAX`] nodes an even sample of ids is drawn for
//! both axes (the caption under it says so), so the canvas stays readable and cheap.

use gossip_core::node::MemberState;
use web_sys::CanvasRenderingContext2d;

use wasm_bindgen::Clamped;
use web_sys::ImageData;

use super::draw::state_colour;
use super::model::Engine;
use crate::shell::theme;

/// The matrix canvas's logical size (square).
pub const SIZE: f64 = 320.0;
/// The most observers and members drawn; more are sampled evenly.
pub const MATRIX_NODES_MAX: u32 = 200;

/// The ids drawn on each axis: every node, or an even sample of [`MATRIX_NODES_MAX`].
pub fn sample(n: u32) -> Vec<u32> {
    if n <= MATRIX_NODES_MAX {
        return (0..n).collect();
    }
    (0..MATRIX_NODES_MAX)
        .map(|i| (u64::from(i) * u64::from(n) / u64::from(MATRIX_NODES_MAX)) as u32)
        .collect()
}

/// What the caption under the matrix says about the sample.
pub fn caption(n: u32) -> String {
    if n <= MATRIX_NODES_MAX {
        format!("Rows: each node's view; columns: the {n} members. Click a row to inspect it.")
    } else {
        format!(
            "Sampled: {MATRIX_NODES_MAX} of the {n} nodes (every {}th id) on both axes.",
            n.div_ceil(MATRIX_NODES_MAX)
        )
    }
}

/// The matrix's pixels, `w` by `h` RGBA (the canvas's backing store, so one `putImageData`
/// paints it whatever the screen's density): each pixel the colour of the cell under it, with
/// a one-pixel gap between cells wide enough to show one. `cell(o, m)` is how observer row
/// `o` holds member column `m`: `None` for a down observer (the page colour), `Some(None)` for
/// a member it never heard of (white).
pub fn pixels(
    k: usize,
    w: usize,
    h: usize,
    cell: &dyn Fn(usize, usize) -> Option<Option<MemberState>>,
) -> Vec<u8> {
    let rgb = |s: Option<Option<MemberState>>| match s {
        None => theme::rgb(theme::PAGE),
        Some(None) => theme::rgb(theme::SURFACE),
        Some(Some(s)) => theme::rgb(state_colour(s)),
    };
    // Colours of every cell first: k² lookups, not one per pixel.
    let colours: Vec<[u8; 3]> = (0..k * k).map(|i| rgb(cell(i / k, i % k))).collect();
    let page = theme::rgb(theme::PAGE);
    let gap = w / k.max(1) >= 4;
    let index = |px: usize, len: usize| (px * k / len.max(1)).min(k - 1);
    let mut out = vec![0u8; w * h * 4];
    for y in 0..h {
        let r = index(y, h);
        let edge_y = gap && index(y + 1, h) != r;
        for x in 0..w {
            let c = index(x, w);
            let edge = edge_y || (gap && index(x + 1, w) != c);
            let [red, green, blue] = if edge { page } else { colours[r * k + c] };
            let o = (y * w + x) * 4;
            out[o..o + 4].copy_from_slice(&[red, green, blue, 255]);
        }
    }
    out
}

/// Paints the matrix on a backing store of `backing` device pixels; `inspect`'s row is
/// outlined.
pub fn paint(
    ctx: &CanvasRenderingContext2d,
    e: &Engine,
    inspect: Option<u32>,
    backing: (u32, u32),
) {
    let ids = sample(e.nodes());
    let (w, h) = (backing.0 as usize, backing.1 as usize);
    let cell = |r: usize, c: usize| {
        let o = ids[r];
        e.is_up(o).then(|| e.cell(o, ids[c]))
    };
    let px = pixels(ids.len(), w, h, &cell);
    if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), w as u32, h as u32) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
    if let Some(row) = inspect.and_then(|i| ids.iter().position(|&x| x == i)) {
        let size = SIZE / ids.len() as f64;
        ctx.set_stroke_style_str(theme::SELECTED);
        ctx.set_line_width(2.0);
        ctx.stroke_rect(0.0, row as f64 * size, SIZE, size);
    }
}

/// The observer of the row at logical height `y`.
pub fn row_at(n: u32, y: f64) -> Option<u32> {
    let ids = sample(n);
    let r = (y / (SIZE / ids.len() as f64)).floor();
    (r >= 0.0).then(|| ids.get(r as usize).copied()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_clusters_draw_every_node_and_large_ones_an_even_sample() {
        assert_eq!(sample(32), (0..32).collect::<Vec<_>>());
        let s = sample(1000);
        assert_eq!((s.len(), s[0], s[1], s[199]), (200, 0, 5, 995));
        assert!(caption(1000).starts_with("Sampled: 200 of the 1000"));
        assert_eq!(row_at(32, SIZE - 0.1), Some(31));
        assert_eq!(row_at(1000, 0.0), Some(0));
    }

    #[test]
    fn each_pixel_is_the_colour_of_its_cell_with_gaps_between_large_cells() {
        // Two observers: row 0 holds member 1 dead, row 1 is down.
        let cell = |r: usize, c: usize| match (r, c) {
            (1, _) => None,
            (0, 1) => Some(Some(MemberState::Dead)),
            _ => Some(Some(MemberState::Alive)),
        };
        let px = pixels(2, 8, 8, &cell);
        let at = |x: usize, y: usize| {
            [
                px[(y * 8 + x) * 4],
                px[(y * 8 + x) * 4 + 1],
                px[(y * 8 + x) * 4 + 2],
            ]
        };
        assert_eq!(at(0, 0), theme::rgb(state_colour(MemberState::Alive)));
        assert_eq!(at(5, 1), theme::rgb(state_colour(MemberState::Dead)));
        assert_eq!(
            at(3, 0),
            theme::rgb(theme::PAGE),
            "the gap after the first column"
        );
        assert_eq!(at(1, 5), theme::rgb(theme::PAGE), "a down observer's row");
        // Small cells have no gap.
        let px = pixels(4, 8, 8, &cell);
        assert_eq!(
            [px[4], px[5], px[6]],
            theme::rgb(state_colour(MemberState::Alive))
        );
    }
}
