//! A refusal: the message a responder sends, instead of its first answer, when it will not take
//! a session, so that the initiator gives the session up at once rather than holding its own
//! slot until its timeout.
//!
//! ```text
//! refusal = 0:u8 why:u8          why: 1 busy (the responder had `sessions_max` open)
//! ```
//! The opening byte is where every other message has its strategy byte ([`super::Strategy::tag`],
//! 1 to 4); 0 names no strategy and was never sent before, so every message encoded before
//! refusals existed decodes exactly as it did. A refusal is exactly two bytes and answers only
//! an initiator's first message: [`super::Session::handle`] abandons an initiator that receives
//! one as its first answer with [`super::ReconcileError::Refused`] (counted under
//! [`super::AbandonReason::Refused`]); a malformed refusal (truncated, trailing bytes, an unknown
//! reason) is [`super::ReconcileError::Decode`], and one sent to a responder or after the first
//! answer is [`super::ReconcileError::OutOfOrder`]. Either way the replica is unchanged.

use alloc::vec::Vec;

use super::ReconcileError;
use crate::wire::{DecodeError, Reader};

/// The opening byte of a refusal (frozen: no strategy has it).
pub const REFUSAL_TAG: u8 = 0;

/// Why a responder refused a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It had `sessions_max` sessions open.
    Busy,
}

impl Refusal {
    /// The byte on the wire (frozen; new reasons are appended).
    pub fn byte(self) -> u8 {
        match self {
            Refusal::Busy => 1,
        }
    }

    /// The reason of a byte, if it names one.
    pub fn from_byte(b: u8) -> Option<Refusal> {
        match b {
            1 => Some(Refusal::Busy),
            _ => None,
        }
    }

    /// A short lowercase name, for display.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Busy => "busy",
        }
    }
}

/// Writes the refusal message into `out` (cleared first).
pub fn write(refusal: Refusal, out: &mut Vec<u8>) {
    out.clear();
    out.push(REFUSAL_TAG);
    out.push(refusal.byte());
}

/// Whether `msg` (a whole session message) opens as a refusal.
pub fn is_refusal(msg: &[u8]) -> bool {
    msg.first() == Some(&REFUSAL_TAG)
}

/// Reads a whole refusal message (its tag included), rejecting anything but the exact two
/// bytes of a known reason.
pub fn read(msg: &[u8]) -> Result<Refusal, ReconcileError> {
    let mut r = Reader::new(msg);
    let tag = r.byte("refusal.tag")?;
    if tag != REFUSAL_TAG {
        return Err(ReconcileError::Decode(DecodeError::OutOfRange {
            field: "refusal.tag",
        }));
    }
    let why = r.byte("refusal.why")?;
    let refusal =
        Refusal::from_byte(why).ok_or(ReconcileError::Decode(DecodeError::OutOfRange {
            field: "refusal.why",
        }))?;
    if r.remaining() > 0 {
        return Err(ReconcileError::Decode(DecodeError::TrailingBytes {
            count: r.remaining(),
        }));
    }
    Ok(refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_two_frozen_bytes_and_reads_back() {
        let mut out = alloc::vec![9, 9, 9];
        write(Refusal::Busy, &mut out);
        assert_eq!(out, [0, 1]);
        assert!(is_refusal(&out));
        assert_eq!(read(&out), Ok(Refusal::Busy));
    }

    #[test]
    fn a_malformed_refusal_is_a_decode_error_naming_the_field() {
        let field = |msg: &[u8]| match read(msg) {
            Err(ReconcileError::Decode(
                DecodeError::OutOfRange { field } | DecodeError::Truncated { field },
            )) => field,
            Err(ReconcileError::Decode(DecodeError::TrailingBytes { count })) => {
                assert_eq!(count, msg.len() - 2);
                "trailing"
            }
            other => panic!("{msg:?}: {other:?}"),
        };
        assert_eq!(field(&[]), "refusal.tag");
        assert_eq!(field(&[0]), "refusal.why");
        assert_eq!(field(&[0, 0]), "refusal.why");
        assert_eq!(field(&[0, 2]), "refusal.why");
        assert_eq!(field(&[0, 1, 0]), "trailing");
        assert_eq!(field(&[0, 1, 1, 1]), "trailing");
        assert_eq!(field(&[2, 1]), "refusal.tag");
    }
}
