//! The shell: what every lab shares. The timeline and playback drive a lab's model; the canvas,
//! the transport bar, the notices, the help dialog, the keyboard switch, sharing, the frame
//! statistics, a lab's start ([`start`]) and a teacher's link ([`teacher`]) are the page's common
//! parts. Nothing here knows a lab (see `crate::labs`).

pub mod actions;
pub mod canvas;
pub mod caption;
pub mod controls;
pub mod dom;
pub mod embed;
pub mod embed_code;
pub mod help;
pub mod keys;
pub mod notices;
pub mod playback;
pub mod script_api;
pub mod share;
pub mod start;
pub mod stats;
pub mod teacher;
pub mod theme;
pub mod timeline;
