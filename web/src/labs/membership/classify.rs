//! What each message of a round is in SWIM's protocol, for drawing: the wire kind says ping,
//! ack, ping-req, nack or sync, and the order of the round's messages tells a relayed ping and
//! ack (the indirect probe's legs) from a direct one.
//!
//! The simulator never decodes protocol bytes, and neither does the view: a helper that takes
//! in a ping-req from `r` pings the target, so a ping a node sends once a ping-req has reached
//! it is the relayed ping (one per ping-req); the target's ack of that ping, and the helper's
//! ack to `r` after it, are the relayed ack. A helper's own probe in the same tick as a
//! ping-req's arrival would be drawn as relayed; probes start at period starts and ping-reqs
//! arrive after the probe timeout, so the two rarely meet.

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
    /// The target's ack to the helper, or the helper's to the requester.
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

/// The round's messages (in send order) with their kinds.
pub fn classify(messages: &[MessageView]) -> Vec<Drawn> {
    // (helper, requester, arrival tick, whether the helper has pinged for it yet)
    let mut relays: Vec<(u32, u32, u64, bool)> = Vec::new();
    // (helper, target): relayed pings sent, whose ack is a relayed ack.
    let mut relayed_pings: Vec<(u32, u32)> = Vec::new();
    messages
        .iter()
        .map(|m| {
            let kind = match m.kind {
                MessageKind::PingReq => {
                    relays.push((m.to, m.from, m.deliver.0, false));
                    Kind::PingReq
                }
                MessageKind::Ping => {
                    let open = relays
                        .iter_mut()
                        .find(|r| r.0 == m.from && !r.3 && r.2 <= m.sent.0);
                    match open {
                        Some(r) => {
                            r.3 = true;
                            relayed_pings.push((m.from, m.to));
                            Kind::RelayedPing
                        }
                        None => Kind::Ping,
                    }
                }
                MessageKind::Ack => {
                    if let Some(i) = relayed_pings
                        .iter()
                        .position(|&(h, t)| h == m.to && t == m.from)
                    {
                        relayed_pings.swap_remove(i);
                        Kind::RelayedAck
                    } else if let Some(i) = relays
                        .iter()
                        .position(|r| r.0 == m.from && r.1 == m.to && r.3 && r.2 <= m.sent.0)
                    {
                        relays.swap_remove(i);
                        Kind::RelayedAck
                    } else {
                        Kind::Ack
                    }
                }
                MessageKind::Nack => Kind::Nack,
                MessageKind::Sync | MessageKind::SyncReply => Kind::Sync,
                _ => Kind::Other,
            };
            Drawn { view: *m, kind }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::net::Sent;
    use gossip_core::sim::Cargo;
    use gossip_core::time::Tick;

    fn m(from: u32, to: u32, kind: MessageKind, sent: u64) -> MessageView {
        MessageView {
            from,
            to,
            kind,
            sent: Tick(sent),
            deliver: Tick(sent + 1),
            copy: false,
            cargo: Cargo::Nothing,
            fate: Sent::InFlight,
        }
    }

    #[test]
    fn an_indirect_probe_is_told_from_a_direct_one() {
        // 0 probes 1 (no answer), asks 2, which pings 1 and relays 1's ack to 0; 2 also
        // answers a direct ping from 3.
        let round = [
            m(0, 1, MessageKind::Ping, 0),
            m(3, 2, MessageKind::Ping, 0),
            m(2, 3, MessageKind::Ack, 1),
            m(0, 2, MessageKind::PingReq, 2),
            m(2, 1, MessageKind::Ping, 3),
            m(1, 2, MessageKind::Ack, 4),
            m(2, 0, MessageKind::Ack, 5),
            m(4, 0, MessageKind::Nack, 5),
            m(5, 6, MessageKind::Sync, 5),
            m(6, 5, MessageKind::SyncReply, 6),
        ];
        let kinds: Vec<Kind> = classify(&round).iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Ping,
                Kind::Ping,
                Kind::Ack,
                Kind::PingReq,
                Kind::RelayedPing,
                Kind::RelayedAck,
                Kind::RelayedAck,
                Kind::Nack,
                Kind::Sync,
                Kind::Sync,
            ]
        );
    }

    #[test]
    fn a_helper_pings_once_per_ping_req() {
        let round = [
            m(0, 2, MessageKind::PingReq, 2),
            m(2, 1, MessageKind::Ping, 3),
            m(2, 7, MessageKind::Ping, 4),
        ];
        let kinds: Vec<Kind> = classify(&round).iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [Kind::PingReq, Kind::RelayedPing, Kind::Ping]);
    }
}
