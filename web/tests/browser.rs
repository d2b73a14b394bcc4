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

#[wasm_bindgen_test]
fn a_swim_cluster_run_replays_to_its_pinned_hash_in_the_browser() {
    let h = runs::swim_cluster();
    assert_eq!(h, runs::GOLDEN_SWIM, "got {h:#018x}");
}

#[wasm_bindgen_test]
fn an_anti_entropy_cluster_run_replays_to_its_pinned_hash_in_the_browser() {
    let h = runs::anti_entropy_cluster();
    assert_eq!(h, runs::GOLDEN_ANTI_ENTROPY, "got {h:#018x}");
}

#[wasm_bindgen_test]
fn a_busy_anti_entropy_cluster_run_replays_to_its_pinned_hash_in_the_browser() {
    let h = runs::busy_anti_entropy_cluster();
    assert_eq!(h, runs::GOLDEN_BUSY_ANTI_ENTROPY, "got {h:#018x}");
}

/// Mounts a fresh app in its own element and waits for Yew's first render. The tests share
/// one page, and an app keeps the address bar on its round (at most 250 ms late): wait for an
/// earlier test's app to have written it, then replace it, so every app starts from the Custom
/// run at its defaults (what the bare link opened before it opened the first lesson).
async fn mount() -> (Document, web_sys::Element) {
    mount_at("?s=custom").await
}

/// How long a test waits for the page to show what it expects. Yew renders on its scheduler,
/// later when the machine is loaded (as in `make test`, beside other builds), so a check after a
/// fixed wait flakes; a check that polls fails only when the page never gets there.
const PATIENCE_MS: u32 = 5_000;

/// The text of `selector` once `ok` holds for it (polled every 10 ms for up to
/// [`PATIENCE_MS`]), or its last text if it never does, for the caller's assertion to show.
async fn text_when(root: &web_sys::Element, selector: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..PATIENCE_MS / 10 {
        if let Some(e) = root.query_selector(selector).unwrap() {
            let t = e.text_content().unwrap_or_default();
            if ok(&t) {
                return t;
            }
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    text(root, selector)
}

/// Whether `selector`'s presence comes to be `present` (polled as [`text_when`] polls).
async fn comes_to_be(root: &web_sys::Element, selector: &str, present: bool) -> bool {
    for _ in 0..PATIENCE_MS / 10 {
        if root.query_selector(selector).unwrap().is_some() == present {
            return true;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    false
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
    let status = text_when(&root, "#status", |t| t == "Round 0 · informed 1/32").await;
    assert_eq!(status, "Round 0 · informed 1/32");
    root.remove();
}

#[wasm_bindgen_test]
async fn step_advances_the_round_and_reset_returns_to_zero() {
    let (_doc, root) = mount().await;
    click(&root, "#step");
    text_when(&root, "#status", |t| t.starts_with("Round 1 ")).await;
    click(&root, "#step");
    let status = text_when(&root, "#status", |t| t.starts_with("Round 2 ")).await;
    assert!(status.starts_with("Round 2 · informed "), "{status}");
    click(&root, "#reset");
    let status = text_when(&root, "#status", |t| t.starts_with("Round 0 ")).await;
    assert_eq!(status, "Round 0 · informed 1/32");
    root.remove();
}

#[wasm_bindgen_test]
async fn play_button_toggles_its_label() {
    let (_doc, root) = mount().await;
    assert_eq!(text(&root, "#play"), "Play");
    click(&root, "#play");
    assert_eq!(text_when(&root, "#play", |t| t == "Pause").await, "Pause");
    click(&root, "#play");
    assert_eq!(text_when(&root, "#play", |t| t == "Play").await, "Play");
    root.remove();
}

#[wasm_bindgen_test]
async fn back_returns_to_the_previous_round_with_the_same_numbers() {
    let (_doc, root) = mount().await;
    click(&root, "#step");
    let at_one = text_when(&root, "#status", |t| t.starts_with("Round 1 ")).await;
    click(&root, "#step");
    text_when(&root, "#status", |t| t.starts_with("Round 2 ")).await;
    click(&root, "#back");
    assert_eq!(text_when(&root, "#status", |t| t == at_one).await, at_one);
    let announce = text_when(&root, "#announce", |t| t.starts_with("Round 1: ")).await;
    assert!(announce.starts_with("Round 1: "), "{announce}");
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
    assert!(text_when(&root, "#help", |t| t.contains("Space"))
        .await
        .contains("Space"));
    click(&root, "#help-close");
    assert!(
        comes_to_be(&root, "#help", false).await,
        "the help stayed open"
    );
    root.remove();
}

/// Mounts a fresh app opened at `query` (empty: a bare link, the first lesson) and waits for its
/// first render.
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
    assert!(
        comes_to_be(&root, "#play", true).await,
        "the app never rendered"
    );
    (doc, root)
}

#[wasm_bindgen_test]
async fn the_membership_lab_opens_from_its_link_steps_and_inspects() {
    let (_doc, root) = mount_at("?lab=membership&s=detect&i=0").await;
    let status = text_when(&root, "#status", |t| t.starts_with("Period 0 ")).await;
    assert!(status.starts_with("Period 0 · up 32/32"), "{status}");
    for period in 1..=9 {
        click(&root, "#step");
        let at = format!("Period {period} ");
        text_when(&root, "#status", |t| t.starts_with(&at)).await;
    }
    let status = text(&root, "#status");
    assert!(status.starts_with("Period 9 · up 31/32"), "{status}");
    assert!(text(&root, "#inspect-view-title").contains("1 disagree"));
    assert!(text(&root, "#legend").contains("relayed ping"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_repair_scenario_shades_by_what_nodes_lack_and_says_how_many() {
    let (_doc, root) = mount_at("?s=repair&r=19").await;
    text_when(&root, "#status", |t| t.starts_with("Round 19 ")).await;
    let legend = text(&root, "#lacking-legend");
    assert!(legend.contains("holds every newest version") && legend.contains("lacks 7 or more"));
    assert!(
        text(&root, "#repair-status").starts_with("Nodes lacking a newest version: 48 of 48"),
        "{}",
        text(&root, "#repair-status")
    );
    assert!(root.query_selector("#repair-chart").unwrap().is_some());
    // The repair fields show the scenario's: Merkle trees, every 6 intervals.
    let every = root.query_selector("#repair-every").unwrap().unwrap();
    assert_eq!(
        every
            .dyn_into::<web_sys::HtmlInputElement>()
            .unwrap()
            .value(),
        "6"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_anti_entropy_lab_opens_from_its_link_and_steps_the_repair() {
    let (_doc, root) = mount_at("?lab=anti-entropy&n=256&d=6&st=merkle&b=4&l=4&seed=1").await;
    let status = text_when(&root, "#status", |t| t.starts_with("Turn 0/")).await;
    assert!(status.starts_with("Turn 0/9 · Merkle tree"), "{status}");
    for turn in 1..=9 {
        click(&root, "#step");
        let at = format!("Turn {turn}/9");
        text_when(&root, "#status", |t| t.starts_with(&at)).await;
    }
    assert!(text(&root, "#status").ends_with("repaired"));
    assert!(text(&root, "#crossed").contains("A → B: 4 ("));
    assert!(text(&root, "#s-merkle").contains("2098"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_teachers_link_locks_hides_and_switches_projector_mode() {
    let (doc, root) = mount_at("?s=custom&lock=fanout&hide=loss&proj=1").await;
    let disabled = |sel: &str| {
        root.query_selector(sel)
            .unwrap()
            .unwrap_or_else(|| panic!("no element {sel}"))
            .matches(":disabled")
            .unwrap()
    };
    assert!(disabled("#fanout"), "a locked input is disabled");
    assert!(!disabled("#nodes"), "an unlocked input is free");
    assert_eq!(
        text(&root, "fieldset.locked .lock-note"),
        "locked by your teacher"
    );
    assert!(root.query_selector("#loss").unwrap().is_none(), "hide=loss");
    let html = doc.document_element().unwrap();
    assert!(html.class_name().contains("projector"), "proj=1");
    click(&root, "#proj-button");
    for _ in 0..PATIENCE_MS / 10 {
        if !html.class_name().contains("projector") {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !html.class_name().contains("projector"),
        "the button switches it off"
    );
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert!(
        search.contains("lock=fanout") && !search.contains("proj=1"),
        "{search}"
    );
    root.remove();
}
