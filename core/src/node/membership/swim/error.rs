//! Why a SWIM message was rejected or a SWIM call refused ([`SwimError`]), and the counter
//! each reason is counted in.

use core::fmt;

use crate::node::membership::swim::SwimCounters;
use crate::node::NodeId;
use crate::wire::DecodeError;

/// Why a SWIM message was rejected, or a SWIM call refused. The node's state is unchanged,
/// except the counter of the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwimError {
    /// Malformed.
    Decode(DecodeError),
    /// A member id at or above `members_max`.
    UnknownMember {
        /// The field.
        field: &'static str,
        /// The id read.
        id: u64,
    },
    /// An incarnation above `max` (the limit, or the held incarnation plus
    /// `incarnation_jump_max`).
    Incarnation {
        /// The member it is about.
        member: NodeId,
        /// The incarnation read.
        got: u64,
        /// The most accepted.
        max: u64,
    },
    /// More updates than the kind allows.
    Oversized {
        /// The count on the wire.
        count: u64,
        /// The limit.
        max: u32,
    },
    /// A ping-req whose target is the receiver.
    PingReqForSelf,
    /// A ping for another node.
    NotForMe {
        /// The target it named.
        target: NodeId,
    },
    /// An ack or nack for no outstanding probe or relay (late or duplicate).
    Unexpected {
        /// Its sequence number.
        seq: u32,
    },
    /// A SWIM message or call to a node whose membership is the oracle.
    NotSwim,
}

impl From<DecodeError> for SwimError {
    fn from(e: DecodeError) -> Self {
        SwimError::Decode(e)
    }
}

impl fmt::Display for SwimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwimError::Decode(e) => write!(f, "{e}"),
            SwimError::UnknownMember { field, id } => {
                write!(f, "{field} names member {id}, at or above members_max")
            }
            SwimError::Incarnation { member, got, max } => {
                write!(f, "incarnation {got} of member {member} is above {max}")
            }
            SwimError::Oversized { count, max } => {
                write!(f, "{count} updates, at most {max} allowed")
            }
            SwimError::PingReqForSelf => write!(f, "a ping-req for the receiver itself"),
            SwimError::NotForMe { target } => write!(f, "a ping for member {target}"),
            SwimError::Unexpected { seq } => {
                write!(f, "an ack or nack with seq {seq} for no outstanding probe")
            }
            SwimError::NotSwim => write!(f, "the membership is the oracle, not SWIM"),
        }
    }
}

impl SwimError {
    // Counts the reason in `c`.
    pub(crate) fn count(&self, c: &mut SwimCounters) {
        let field = match self {
            SwimError::Decode(_) => &mut c.rejected_malformed,
            SwimError::UnknownMember { .. } => &mut c.rejected_unknown_member,
            SwimError::Incarnation { .. } => &mut c.rejected_incarnation,
            SwimError::Oversized { .. } => &mut c.rejected_oversized,
            SwimError::PingReqForSelf => &mut c.rejected_ping_req_self,
            SwimError::NotForMe { .. } => &mut c.rejected_not_for_me,
            SwimError::Unexpected { .. } => &mut c.rejected_unexpected,
            SwimError::NotSwim => &mut c.rejected_not_swim,
        };
        *field += 1;
    }
}
