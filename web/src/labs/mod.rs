//! The labs (see the crate's module map).

pub mod dissemination;
