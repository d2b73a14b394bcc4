//! The shell: what every lab shares (see the crate's module map).

pub mod timeline;
