//! Why a session was refused or abandoned. Every error leaves the replica unchanged by the
//! message that caused it (a message is validated whole before anything is merged).

use core::fmt;

use super::TreeShape;
use crate::time::Tick;
use crate::wire::DecodeError;

/// What was wrong. The replica is unchanged by the message (or call) that caused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileError {
    /// The bytes are not a valid message of this strategy and step.
    Decode(DecodeError),
    /// The message opens with another strategy's byte.
    WrongStrategy {
        /// This session's strategy byte.
        expected: u8,
        /// The byte received.
        got: u8,
    },
    /// A call or message out of the session's order (a message after the end, a start on a
    /// responder, an answer that does not match what was asked).
    OutOfOrder {
        /// What was out of order.
        what: &'static str,
    },
    /// The peer's Merkle tree has another shape: the trees cannot be compared.
    ShapeMismatch {
        /// Ours.
        ours: TreeShape,
        /// The one in the message.
        theirs: TreeShape,
    },
    /// A hash or request for a tree position that does not exist (or was not asked about).
    NoSuchPosition {
        /// The tree level (0 is the root).
        level: u32,
        /// The node's index within its level.
        index: u64,
    },
    /// A session limit was exceeded.
    LimitExceeded {
        /// The limit's name.
        limit: &'static str,
        /// The value reached.
        value: u64,
        /// The limit.
        max: u64,
    },
    /// A limit of the configuration is out of range.
    BadLimits {
        /// The limit's name.
        limit: &'static str,
    },
    /// A tree shape is out of range.
    BadShape {
        /// What is out of range.
        what: &'static str,
    },
    /// The replica keeps no Merkle tree of the session's shape.
    TreeMissing {
        /// The shape the session needs.
        shape: TreeShape,
    },
    /// A rateless stream did not peel within `symbols_max` symbols.
    NeverPeeled {
        /// Symbols received.
        symbols: u64,
    },
    /// A rateless stream failed the decoder's checks (a forged or corrupted stream, or two
    /// local items sharing an id under this key): it can never decode, however long it runs.
    Undecodable {
        /// Which check failed.
        why: &'static str,
    },
    /// The strategy is not built on this branch.
    NotBuilt {
        /// Its name.
        strategy: &'static str,
    },
    /// A received entry's version is from the future: its tick is later than `now + max`
    /// (the session's `version_ticks_ahead_max`, see [`super::Session::refuse_versions_ahead`]).
    /// The whole message is rejected before anything is merged.
    VersionAhead {
        /// The tick read from the entry's version.
        tick: Tick,
        /// The receiver's tick.
        now: Tick,
        /// The session's `version_ticks_ahead_max`.
        max: u32,
    },
    /// The responder refused the session ([`super::refusal`]): the initiator gives it up at
    /// once instead of waiting for its timeout.
    Refused {
        /// Why the responder refused.
        why: super::refusal::Refusal,
    },
}

/// The field-less reason a session was abandoned, for counting by reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[allow(missing_docs)] // each names the `ReconcileError` variant of the same name
pub enum AbandonReason {
    Decode,
    WrongStrategy,
    OutOfOrder,
    ShapeMismatch,
    NoSuchPosition,
    LimitExceeded,
    BadLimits,
    BadShape,
    TreeMissing,
    NeverPeeled,
    NotBuilt,
    Undecodable,
    VersionAhead,
    Refused,
}

impl AbandonReason {
    /// The reason's snake_case name (its serde name), for display and the runner.
    pub fn name(self) -> &'static str {
        match self {
            AbandonReason::Decode => "decode",
            AbandonReason::WrongStrategy => "wrong_strategy",
            AbandonReason::OutOfOrder => "out_of_order",
            AbandonReason::ShapeMismatch => "shape_mismatch",
            AbandonReason::NoSuchPosition => "no_such_position",
            AbandonReason::LimitExceeded => "limit_exceeded",
            AbandonReason::BadLimits => "bad_limits",
            AbandonReason::BadShape => "bad_shape",
            AbandonReason::TreeMissing => "tree_missing",
            AbandonReason::NeverPeeled => "never_peeled",
            AbandonReason::NotBuilt => "not_built",
            AbandonReason::Undecodable => "undecodable",
            AbandonReason::VersionAhead => "version_ahead",
            AbandonReason::Refused => "refused",
        }
    }

    /// Every reason, in declaration order (`reason as usize` indexes it).
    pub const ALL: [AbandonReason; 14] = [
        AbandonReason::Decode,
        AbandonReason::WrongStrategy,
        AbandonReason::OutOfOrder,
        AbandonReason::ShapeMismatch,
        AbandonReason::NoSuchPosition,
        AbandonReason::LimitExceeded,
        AbandonReason::BadLimits,
        AbandonReason::BadShape,
        AbandonReason::TreeMissing,
        AbandonReason::NeverPeeled,
        AbandonReason::NotBuilt,
        AbandonReason::Undecodable,
        AbandonReason::VersionAhead,
        AbandonReason::Refused,
    ];
}

impl ReconcileError {
    /// The reason to count.
    pub fn reason(&self) -> AbandonReason {
        match self {
            ReconcileError::Decode(_) => AbandonReason::Decode,
            ReconcileError::WrongStrategy { .. } => AbandonReason::WrongStrategy,
            ReconcileError::OutOfOrder { .. } => AbandonReason::OutOfOrder,
            ReconcileError::ShapeMismatch { .. } => AbandonReason::ShapeMismatch,
            ReconcileError::NoSuchPosition { .. } => AbandonReason::NoSuchPosition,
            ReconcileError::LimitExceeded { .. } => AbandonReason::LimitExceeded,
            ReconcileError::BadLimits { .. } => AbandonReason::BadLimits,
            ReconcileError::BadShape { .. } => AbandonReason::BadShape,
            ReconcileError::TreeMissing { .. } => AbandonReason::TreeMissing,
            ReconcileError::NeverPeeled { .. } => AbandonReason::NeverPeeled,
            ReconcileError::NotBuilt { .. } => AbandonReason::NotBuilt,
            ReconcileError::Undecodable { .. } => AbandonReason::Undecodable,
            ReconcileError::VersionAhead { .. } => AbandonReason::VersionAhead,
            ReconcileError::Refused { .. } => AbandonReason::Refused,
        }
    }
}

impl From<DecodeError> for ReconcileError {
    fn from(e: DecodeError) -> Self {
        ReconcileError::Decode(e)
    }
}

impl fmt::Display for ReconcileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReconcileError::Decode(e) => write!(f, "bad message: {e}"),
            ReconcileError::WrongStrategy { expected, got } => {
                write!(f, "message of strategy {got}, this session is {expected}")
            }
            ReconcileError::OutOfOrder { what } => write!(f, "out of order: {what}"),
            ReconcileError::ShapeMismatch { ours, theirs } => write!(
                f,
                "different tree shape: ours {}x{}, theirs {}x{}",
                ours.branching, ours.depth, theirs.branching, theirs.depth
            ),
            ReconcileError::NoSuchPosition { level, index } => write!(
                f,
                "hash for a position that does not exist or was not asked: level {level}, index {index}"
            ),
            ReconcileError::LimitExceeded { limit, value, max } => {
                write!(f, "limit exceeded: {limit} is {max}, reached {value}")
            }
            ReconcileError::BadLimits { limit } => write!(f, "{limit} is out of range"),
            ReconcileError::BadShape { what } => write!(f, "tree shape: {what} is out of range"),
            ReconcileError::TreeMissing { shape } => write!(
                f,
                "the replica keeps no {}x{} tree",
                shape.branching, shape.depth
            ),
            ReconcileError::NeverPeeled { symbols } => {
                write!(f, "the symbol stream did not peel after {symbols} symbols")
            }
            ReconcileError::Undecodable { why } => {
                write!(f, "the symbol stream cannot decode: {why}")
            }
            ReconcileError::NotBuilt { strategy } => {
                write!(f, "strategy {strategy} is not built yet")
            }
            ReconcileError::VersionAhead { tick, now, max } => write!(
                f,
                "an entry's version is at {tick}, more than version_ticks_ahead_max = {max} ticks after {now}"
            ),
            ReconcileError::Refused { why } => {
                write!(f, "the responder refused the session: {}", why.name())
            }
        }
    }
}
