//! The app's entry point: mount [`gossip_web::App`] on the page body.
fn main() {
    yew::Renderer::<gossip_web::App>::new().render();
}
