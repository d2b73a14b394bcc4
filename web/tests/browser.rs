//! The app mounted in a real headless Chromium by wasm-bindgen-test: the DOM a person would see;
//! and the core's golden runs, replayed in wasm32 to the hashes pinned natively.
//! Run with `make browser` (or `cargo test -p gossip-web --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

// The golden runs of `core/tests/golden.rs`, with their pinned hashes: a link replays the same
// run on every platform, and this is the platform where links are opened.
#[path = "../../core/tests/golden/runs.rs"]
mod runs;

#[wasm_bindgen_test]
fn a_kernel_sweep_replays_to_its_pinned_hash_in_the_browser() {
    let h = runs::kernel_sweep();
    assert_eq!(h, runs::GOLDEN_KERNEL, "got {h:#018x}");
}

#[wasm_bindgen_test]
fn rumor_runs_replay_to_their_pinned_hash_in_the_browser() {
    let h = runs::rumor_runs();
    assert_eq!(h, runs::GOLDEN_RUMOR, "got {h:#018x}");
}

#[wasm_bindgen_test]
fn a_scripted_cluster_run_replays_to_its_pinned_hash_in_the_browser() {
    let h = runs::scripted_cluster();
    assert_eq!(h, runs::GOLDEN_CLUSTER, "got {h:#018x}");
}

/// Mounts a fresh app in its own element and waits for Yew's first render. The tests share
/// one page, and an app keeps the address bar on its round (at most 250 ms late): wait for an
/// earlier test's app to have written it, then clear it, so every app starts from a bare link.
async fn mount() -> (Document, web_sys::Element) {
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<gossip_web::App>::with_root(root.clone()).render();
    settle().await;
    (doc, root)
}

/// Yew renders on its scheduler: give it a turn of the event loop.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn click(root: &web_sys::Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

#[wasm_bindgen_test]
async fn status_starts_at_round_zero_with_one_informed_node() {
    let (_doc, root) = mount().await;
    assert_eq!(text(&root, "#status"), "Round 0 · informed 1/32");
    root.remove();
}

#[wasm_bindgen_test]
async fn step_advances_the_round_and_reset_returns_to_zero() {
    let (_doc, root) = mount().await;
    click(&root, "#step");
    settle().await;
    click(&root, "#step");
    settle().await;
    let status = text(&root, "#status");
    assert!(status.starts_with("Round 2 · informed "), "{status}");
    click(&root, "#reset");
    settle().await;
    assert_eq!(text(&root, "#status"), "Round 0 · informed 1/32");
    root.remove();
}

#[wasm_bindgen_test]
async fn play_button_toggles_its_label() {
    let (_doc, root) = mount().await;
    assert_eq!(text(&root, "#play"), "Play");
    click(&root, "#play");
    settle().await;
    assert_eq!(text(&root, "#play"), "Pause");
    click(&root, "#play");
    settle().await;
    assert_eq!(text(&root, "#play"), "Play");
    root.remove();
}

#[wasm_bindgen_test]
async fn back_returns_to_the_previous_round_with_the_same_numbers() {
    let (_doc, root) = mount().await;
    click(&root, "#step");
    settle().await;
    let at_one = text(&root, "#status");
    click(&root, "#step");
    settle().await;
    click(&root, "#back");
    settle().await;
    assert_eq!(text(&root, "#status"), at_one);
    assert!(text(&root, "#announce").starts_with("Round 1: "));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_page_has_a_legend_a_chart_and_a_help_overlay() {
    let (_doc, root) = mount().await;
    let legend = text(&root, ".legend");
    assert!(legend.contains("holds the newest version") && legend.contains("crashed"));
    // Cutting needs a selected group first.
    let cut = root
        .query_selector("#cut-both")
        .unwrap()
        .expect("the partition controls");
    assert!(cut.has_attribute("disabled"));
    assert!(root.query_selector("#chart").unwrap().is_some());
    assert!(root.query_selector("#help").unwrap().is_none());
    click(&root, "#help-button");
    settle().await;
    assert!(text(&root, "#help").contains("Space"));
    click(&root, "#help-close");
    settle().await;
    assert!(root.query_selector("#help").unwrap().is_none());
    root.remove();
}

/// Mounts a fresh app opened at `query`, as [`mount`] does with a bare link.
async fn mount_at(query: &str) -> (Document, web_sys::Element) {
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        )
        .unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<gossip_web::App>::with_root(root.clone()).render();
    settle().await;
    (doc, root)
}

#[wasm_bindgen_test]
async fn the_membership_lab_opens_from_its_link_steps_and_inspects() {
    let (_doc, root) = mount_at("?lab=membership&s=detect&i=0").await;
    assert!(text(&root, "#status").starts_with("Period 0 · up 32/32"));
    for _ in 0..9 {
        click(&root, "#step");
        settle().await;
    }
    let status = text(&root, "#status");
    assert!(status.starts_with("Period 9 · up 31/32"), "{status}");
    assert!(text(&root, "#inspect-view-title").contains("1 disagree"));
    assert!(text(&root, "#legend").contains("relayed ping"));
    root.remove();
}
