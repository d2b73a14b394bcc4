//! The exported figure: the cluster canvas as shown, with a header (the round and the run's
//! parameters) above it and the legend below, composed on an offscreen canvas. A bare canvas
//! says nothing once it is pasted in a report; the figure says what was run and what its marks
//! mean.
//!
//! The cluster's pixels are copied unscaled (identity transform, integer offset), so the
//! figure holds exactly the picture on the page, at the page's density; the header and legend
//! are drawn at the same density in the cluster's logical pixels.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::legend::{swatch, Swatch};
use crate::shell::theme;

/// The logical width the cluster is drawn at (its device width over this is the density).
const LOGICAL_WIDTH_PX: f64 = 640.0;
/// The margin around the header and the legend.
const PAD_PX: f64 = 16.0;
/// The header's two lines: the title (round and informed count) and the parameters.
const TITLE_PX: f64 = 17.0;
const PARAMS_PX: f64 = 13.0;
const HEADER_PX: f64 = PAD_PX + TITLE_PX + 6.0 + PARAMS_PX + PAD_PX;
/// One legend row.
const ROW_PX: f64 = 20.0;

/// The figure of `cluster` (as painted) under `title` and `params`, as a PNG data URL, with
/// the legend `rows` ([`super::legend::figure_rows`]). `None` if the browser cannot make a
/// canvas.
pub fn figure(
    cluster: &HtmlCanvasElement,
    title: &str,
    params: &str,
    rows: &[(Swatch, String)],
) -> Option<String> {
    let doc = crate::shell::dom::window().document()?;
    let out: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    let ctx: CanvasRenderingContext2d = out.get_context("2d").ok()??.dyn_into().ok()?;
    let w = cluster.width();
    let s = f64::from(w) / LOGICAL_WIDTH_PX;
    let header = (HEADER_PX * s).round() as u32;
    let legend_h = ((PAD_PX * 1.5 + rows.len() as f64 * ROW_PX) * s).round() as u32;
    out.set_width(w);
    out.set_height(header + cluster.height() + legend_h);
    ctx.set_fill_style_str(theme::SURFACE);
    ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(out.height()));
    // The cluster, pixel for pixel.
    ctx.draw_image_with_html_canvas_element(cluster, 0.0, f64::from(header))
        .ok()?;
    // Header and legend in logical pixels.
    ctx.set_transform(s, 0.0, 0.0, s, 0.0, 0.0).ok()?;
    ctx.set_text_baseline("alphabetic");
    ctx.set_fill_style_str(theme::INK);
    ctx.set_font(&theme::font(600, TITLE_PX));
    ctx.fill_text(title, PAD_PX, PAD_PX + TITLE_PX).ok()?;
    ctx.set_fill_style_str(theme::INK_MUTED);
    ctx.set_font(&theme::font(400, PARAMS_PX));
    ctx.fill_text(params, PAD_PX, PAD_PX + TITLE_PX + 6.0 + PARAMS_PX)
        .ok()?;
    let top = f64::from(header + cluster.height()) / s;
    ctx.set_text_baseline("middle");
    for (i, (key, words)) in rows.iter().enumerate() {
        let y = top + PAD_PX * 0.75 + (i as f64 + 0.5) * ROW_PX;
        match key {
            Swatch::Mark(mark) => swatch(&ctx, *mark, PAD_PX + 7.0, y, 6.0),
            Swatch::Disc(colour) => {
                ctx.begin_path();
                ctx.arc(PAD_PX + 7.0, y, 6.0, 0.0, core::f64::consts::TAU)
                    .ok()?;
                ctx.set_fill_style_str(colour);
                ctx.fill();
            }
        }
        ctx.set_fill_style_str(theme::INK);
        ctx.set_font(&theme::font(400, PARAMS_PX));
        ctx.fill_text(words, PAD_PX + 22.0, y).ok()?;
    }
    out.to_data_url().ok()
}
