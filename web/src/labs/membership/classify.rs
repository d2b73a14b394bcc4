//! What each message of a round is in SWIM's protocol, for drawing: the wire kind says ping,
//! ack, ping-req, nack or sync, and the sender's mark ([`MessageView::relayed`], which the core
//! reads from the message's header) tells the indirect probe's legs from a direct one: the
//! ping a ping-req helper sends the target, and the ack the helper relays to the requester.
//! The target's ack to the helper is an ordinary ack (the target answers a ping as any other),
//! and is drawn as one.

use gossip_core::sim::MessageView;
use gossip_core::wire::MessageKind;

use super::model::Drawn;

/// A message as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A direct probe.
    Ping,
    /// Its answer.
    Ack,
    /// A request to probe a target on the sender's behalf.
    PingReq,
    /// A helper's ping of the target.
    RelayedPing,
    /// The ack a helper relays to the requester.
    RelayedAck,
    /// A helper's word that the target did not answer in time (Lifeguard).
    Nack,
    /// A push-pull state sync or its reply.
    Sync,
    /// Anything else (no other kind is sent with SWIM and no data).
    Other,
}

impl Kind {
    /// Every kind, in the legend's order.
    pub const ALL: [Kind; 8] = [
        Kind::Ping,
        Kind::Ack,
        Kind::PingReq,
        Kind::RelayedPing,
        Kind::RelayedAck,
        Kind::Nack,
        Kind::Sync,
        Kind::Other,
    ];

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ping => "ping",
            Kind::Ack => "ack",
            Kind::PingReq => "ping-req",
            Kind::RelayedPing => "relayed ping",
            Kind::RelayedAck => "relayed ack",
            Kind::Nack => "nack",
            Kind::Sync => "push-pull sync",
            Kind::Other => "other",
        }
    }
}

/// The round's messages with their kinds.
pub fn classify(messages: &[MessageView]) -> Vec<Drawn> {
    messages
        .iter()
        .map(|m| Drawn {
            view: *m,
            kind: kind_of(m),
        })
        .collect()
}

/// What `m` is: its wire kind, and for a ping or ack the sender's mark of the indirect path.
pub fn kind_of(m: &MessageView) -> Kind {
    match m.kind {
        MessageKind::PingReq => Kind::PingReq,
        MessageKind::Ping if m.relayed => Kind::RelayedPing,
        MessageKind::Ping => Kind::Ping,
        MessageKind::Ack if m.relayed => Kind::RelayedAck,
        MessageKind::Ack => Kind::Ack,
        MessageKind::Nack => Kind::Nack,
        MessageKind::Sync | MessageKind::SyncReply => Kind::Sync,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::net::Sent;
    use gossip_core::sim::Cargo;
    use gossip_core::time::Tick;

    fn m(from: u32, to: u32, kind: MessageKind, relayed: bool) -> MessageView {
        MessageView {
            from,
            to,
            kind,
            sent: Tick(0),
            deliver: Tick(1),
            copy: false,
            cargo: Cargo::Nothing,
            fate: Sent::InFlight,
            relayed,
        }
    }

    #[test]
    fn the_indirect_path_is_the_senders_mark_not_the_order_of_the_round() {
        // A helper's own probe right after a ping-req reached it is a plain ping; a relayed
        // ping with no ping-req in the round (it was sent the round before) is still relayed;
        // the target's ack to the helper is a plain ack, the helper's to the requester relayed.
        let round = [
            m(0, 2, MessageKind::PingReq, false),
            m(2, 7, MessageKind::Ping, false),
            m(3, 1, MessageKind::Ping, true),
            m(1, 3, MessageKind::Ack, false),
            m(3, 4, MessageKind::Ack, true),
            m(4, 0, MessageKind::Nack, false),
            m(5, 6, MessageKind::Sync, false),
            m(6, 5, MessageKind::SyncReply, false),
            m(6, 5, MessageKind::Push, false),
        ];
        let kinds: Vec<Kind> = classify(&round).iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::PingReq,
                Kind::Ping,
                Kind::RelayedPing,
                Kind::Ack,
                Kind::RelayedAck,
                Kind::Nack,
                Kind::Sync,
                Kind::Sync,
                Kind::Other,
            ]
        );
    }
}
