//! The embed's message filter (`shell::embed::command`) on real JavaScript values, in headless
//! Chromium. A file of its own: `browser.rs`'s tests share one page and its timing, and a test
//! added there shifts when their apps run.
//! Run with `make browser` (or `cargo test -p gossip-web --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_embed_accepts_only_its_two_commands() {
    use gossip_web::shell::embed::{command, Command};
    use wasm_bindgen::JsValue;
    let object = |kind: &JsValue| -> JsValue {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"type".into(), kind).unwrap();
        o.into()
    };
    assert_eq!(
        command(&object(&"gossiplab:play".into())),
        Some(Command::Play)
    );
    assert_eq!(
        command(&object(&"gossiplab:pause".into())),
        Some(Command::Pause)
    );
    for bad in [
        object(&"gossiplab:height".into()),
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
