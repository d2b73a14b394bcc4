//! Gossip Lab in the browser: a Yew app that steps the `gossip-core` simulator round by round,
//! draws the cluster and a chart on two canvases, and encodes everything in its link.
//!
//! Structure (after RaftScope and Yew's examples):
//! * pure, browser-free modules, unit-tested on the host with `cargo test -p gossip-web`:
//!   [`engine`] (the run the view draws: the core's cluster simulator),
//!   [`timeline`] (checkpoints, exact rewinding and forking on actions), [`select`] (lasso and
//!   shift-click selection of nodes),
//!   [`params`] (parameters, limits, scenarios), [`url`] (the permalink codec), [`layout`]
//!   (node positions and hit-testing), [`chart`] (scales and ticks) and [`band`] (the band of
//!   trials, computed a slice at a time by the core's fast kernel);
//! * the browser side: [`draw`] paints the canvases and [`app`] is the one Yew component.

pub mod app;
pub mod chart;
pub mod labs;
pub mod layout;
pub mod select;
pub mod shell;

pub use app::App;
