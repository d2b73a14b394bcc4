//! The embed's message filter (`shell::embed::command`) on real JavaScript values, in headless
//! Chromium. A file of its own: `browser.rs`'s tests share one page and its timing, and a test
//! added there shifts when their apps run.
//! Run with `make browser` (or `cargo test -p gossip-web --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

use wasm_bindgen::JsValue;

/// `{ type: kind, ...fields }`.
fn message(kind: &JsValue, fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"type".into(), kind).unwrap();
    for (k, v) in fields {
        js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn the_embed_accepts_only_its_commands() {
    use gossip_web::shell::embed::{command, Command};
    let object = |kind: &JsValue| message(kind, &[]);
    assert_eq!(
        command(&object(&"gossiplab:play".into())),
        Some(Command::Play)
    );
    assert_eq!(
        command(&object(&"gossiplab:pause".into())),
        Some(Command::Pause)
    );
    assert_eq!(
        command(&object(&"gossiplab:step".into())),
        Some(Command::Step)
    );
    for bad in [
        object(&"gossiplab:height".into()),
        object(&"gossiplab:run".into()),
        object(&"gossiplab:PLAY".into()),
        object(&3.into()),
        object(&JsValue::NULL),
        JsValue::from_str("gossiplab:play"),
        JsValue::NULL,
        JsValue::UNDEFINED,
        js_sys::Object::new().into(),
    ] {
        assert_eq!(command(&bad), None, "{bad:?}");
    }
}

/// A seek names a whole round from 0 to `ROUNDS_MAX`; anything else in `round` (a string, a
/// fraction, a negative, too late, missing) makes the message no command at all.
#[wasm_bindgen_test]
fn a_seek_needs_a_whole_round_within_the_limit() {
    use gossip_core::link::ROUNDS_MAX;
    use gossip_web::shell::embed::{command, Command};
    let seek = |round: JsValue| command(&message(&"gossiplab:seek".into(), &[("round", round)]));
    assert_eq!(seek(0.into()), Some(Command::Seek(0)));
    assert_eq!(seek(12.into()), Some(Command::Seek(12)));
    assert_eq!(seek(ROUNDS_MAX.into()), Some(Command::Seek(ROUNDS_MAX)));
    for bad in [
        JsValue::from(ROUNDS_MAX + 1),
        JsValue::from(-1),
        JsValue::from(1.5),
        JsValue::from(f64::NAN),
        JsValue::from(f64::INFINITY),
        JsValue::from_str("12"),
        JsValue::NULL,
        JsValue::UNDEFINED,
    ] {
        assert_eq!(seek(bad.clone()), None, "{bad:?}");
    }
}

/// The question for the whole run carries the asker's `id`, a whole number that fits in 32
/// bits; without one it is not a question (and not a command either).
#[wasm_bindgen_test]
fn a_question_for_the_run_needs_its_id() {
    use gossip_web::shell::embed::{command, question};
    let ask = |id: JsValue| message(&"gossiplab:run".into(), &[("id", id)]);
    assert_eq!(question(&ask(7.into())), Some(7));
    assert_eq!(question(&ask(u32::MAX.into())), Some(u32::MAX));
    assert_eq!(command(&ask(7.into())), None);
    for bad in [
        JsValue::from(-1),
        JsValue::from(0.5),
        JsValue::from(f64::from(u32::MAX) + 1.0),
        JsValue::from_str("7"),
        JsValue::UNDEFINED,
    ] {
        assert_eq!(question(&ask(bad.clone())), None, "{bad:?}");
    }
    assert_eq!(
        question(&message(&"gossiplab:play".into(), &[("id", 7.into())])),
        None
    );
}
