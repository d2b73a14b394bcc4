//! The dissemination lab.

pub mod band;
pub mod bounds;
pub mod draw;
pub mod model;
pub mod params;
pub mod url;
