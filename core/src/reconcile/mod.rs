//! Anti-entropy by set reconciliation: strategies that find and exchange only what two
//! replicas hold differently. (A minimal placeholder on this branch; the shared session API and
//! the other strategies live beside it on their own branch.)

pub mod rateless;
