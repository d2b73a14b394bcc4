//! This node's probe of each period (ping, ping-reqs, the verdict at the period's last tick)
//! and its part as a ping-req helper (relayed pings and acks, nacks); the state they keep is
//! in [`super::probe`].

use crate::node::membership::swim::*;
use crate::node::NodeId;
use crate::time::Tick;
use crate::wire::MessageKind;

impl Swim {
    // Local health's stretch of this node's own timeouts (1 without it).
    pub(super) fn stretch(&self) -> u64 {
        if self.config.lifeguard.local_health {
            u64::from(self.health.multiplier())
        } else {
            1
        }
    }

    // The last sequence number used (tests build acks for it).
    #[cfg(test)]
    pub(crate) fn last_seq(&self) -> u32 {
        self.seq
    }

    pub(super) fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    pub(super) fn start_probe(&mut self, out: &mut Out<'_>, now: Tick) {
        self.probe = None;
        if self.left {
            return;
        }
        let order = self.config.probe_order;
        let Some(target) = self
            .order
            .next(order, &mut self.table, self.id, &mut self.rng)
        else {
            return;
        };
        let seq = self.next_seq();
        let stretch = self.stretch();
        let timeout = u64::from(self.config.probe_timeout_ticks) * stretch;
        let interval = u64::from(self.config.probe_interval_ticks) * stretch;
        self.probe = Some(Probe {
            target,
            seq,
            started: now,
            timeout_at: Tick(now.0.saturating_add(timeout)),
            // The last tick of the period: a probe is judged inside its own period.
            ends: Tick(now.0.saturating_add(interval - 1)),
            acked: false,
            indirect: false,
            nacks_expected: 0,
            nacks: 0,
        });
        out.counters.swim.probes += 1;
        self.send_ping(out, target, seq, false);
    }

    pub(super) fn send_ping(&mut self, out: &mut Out<'_>, target: NodeId, seq: u32, relayed: bool) {
        let mut first = [Update {
            member: 0,
            state: MemberState::Alive,
            incarnation: 0,
            accuser: 0,
        }; 1 + SUSPICIONS_ON_PINGS];
        let mut n = 0;
        // The buddy system: a ping to a member held suspect carries the suspicion first.
        if let Some(v) = self.table.get(target) {
            if self.config.lifeguard.buddy && v.state == MemberState::Suspect {
                first[0] = Update {
                    member: target,
                    state: MemberState::Suspect,
                    incarnation: v.incarnation,
                    accuser: self.id,
                };
                n = 1;
            }
        }
        // The oldest running suspicions ride along, so a receiver that heard the refutation
        // answers with it (see `note_correction`): a node the refutation missed learns it
        // before its timer declares a live member dead.
        for sp in self.suspicions.iter().filter(|sp| sp.member != target) {
            if n == first.len() {
                break;
            }
            first[n] = Update {
                member: sp.member,
                state: MemberState::Suspect,
                incarnation: sp.incarnation,
                accuser: sp.accusers()[0],
            };
            n += 1;
        }
        let flags = if relayed { FLAG_RELAYED } else { 0 };
        codec::put_header(&mut self.body, MessageKind::Ping, seq, target, flags);
        self.piggyback(&first[..n]);
        out.queue(MessageKind::Ping, &self.body, target);
    }

    // Appends the updates to `self.body` (whose header is written).
    pub(super) fn piggyback(&mut self, first: &[Update]) {
        // The limit takes a logarithm; n changes rarely, so it is recomputed only then.
        let n = self.table.live();
        if self.retransmit.0 != n {
            self.retransmit = (
                n,
                piggyback::retransmit_limit(self.config.retransmit_mult, n),
            );
        }
        let limit = self.retransmit.1;
        let bytes_max = (self.limits.message_bytes_max as usize).saturating_sub(HEADER_BYTES_MAX);
        self.broadcasts.write(
            &mut self.body,
            &mut self.updates,
            first,
            limit,
            self.config.piggyback_updates_max,
            bytes_max,
        );
    }

    pub(super) fn send_ping_reqs(&mut self, out: &mut Out<'_>) {
        let Some(p) = self.probe else { return };
        let mut helpers = [0; config::INDIRECT_PROBES_LIMIT as usize];
        let n = self.sample_helpers(p.target, self.config.indirect_probes, &mut helpers);
        let nack = self.config.lifeguard.nack;
        for &h in &helpers[..n] {
            let flags = if nack { FLAG_NACK } else { 0 };
            codec::put_header(&mut self.body, MessageKind::PingReq, p.seq, p.target, flags);
            self.piggyback(&[]);
            out.queue(MessageKind::PingReq, &self.body, h);
        }
        out.counters.swim.ping_reqs_sent += n as u64;
        if let Some(p) = self.probe.as_mut() {
            p.indirect = true;
            p.nacks_expected = if nack { n as u32 } else { 0 };
        }
    }

    // Up to `k` distinct live members other than this node and `not`, drawn uniformly from
    // the probe list by rejection (bounded tries, so never O(N)).
    pub(super) fn sample_helpers(&mut self, not: NodeId, k: u32, out: &mut [NodeId; 16]) -> usize {
        let mut n = 0;
        let list_len = self.order.len() as u32;
        if list_len == 0 || k == 0 {
            return 0;
        }
        for _ in 0..(8 * k + 16) {
            if n == k as usize {
                break;
            }
            let Some(id) = self.order.at(self.rng.below(list_len) as usize) else {
                break;
            };
            let live = self.table.get(id).is_some_and(|v| v.state.is_live());
            if live && id != self.id && id != not && !out[..n].contains(&id) {
                out[n] = id;
                n += 1;
            }
        }
        n
    }

    // The end of the period: judges the probe.
    pub(super) fn finish_probe(&mut self, out: &mut Out<'_>) {
        let Some(p) = self.probe.take() else { return };
        self.last_probe = Some(p);
        let health = self.config.lifeguard.local_health;
        if p.acked {
            out.counters.swim.probes_acked += 1;
            if health {
                self.health.apply(-1);
            }
            return;
        }
        out.counters.swim.probes_failed += 1;
        if health {
            // Missing nacks point at ourselves (memberlist's awareness rule).
            let delta = if p.nacks_expected > 0 {
                p.nacks_expected.saturating_sub(p.nacks)
            } else {
                1
            };
            self.health.apply(delta as i32);
        }
        let Some(held) = self.table.get(p.target) else {
            return;
        };
        match held.state {
            MemberState::Alive => {}
            // Already suspected by another: this failure is an independent confirmation.
            MemberState::Suspect => {
                let confirmed = self.config.lifeguard.dynamic_suspicion
                    && self.suspicions.confirm(p.target, held.incarnation, self.id);
                if confirmed {
                    out.counters.swim.confirmations += 1;
                    let u = Update {
                        member: p.target,
                        state: MemberState::Suspect,
                        incarnation: held.incarnation,
                        accuser: self.id,
                    };
                    self.enqueue(out, u);
                }
                return;
            }
            MemberState::Dead | MemberState::Left => return,
        }
        let state = if self.config.suspicion {
            out.counters.swim.suspicions_started += 1;
            MemberState::Suspect
        } else {
            out.counters.swim.deaths_declared += 1;
            MemberState::Dead
        };
        let u = Update {
            member: p.target,
            state,
            incarnation: held.incarnation,
            accuser: self.id,
        };
        self.set_view(out, p.ends, u);
        self.enqueue(out, u);
    }

    pub(super) fn on_ack(&mut self, out: &mut Out<'_>, seq: u32) {
        if let Some(p) = self.probe.as_mut() {
            if p.seq == seq {
                p.acked = true;
                return;
            }
        }
        if let Some(pos) = self.relays.iter().position(|r| r.seq == seq) {
            let r = self.relays.swap_remove(pos);
            codec::put_header(
                &mut self.body,
                MessageKind::Ack,
                r.origin_seq,
                0,
                FLAG_RELAYED,
            );
            self.piggyback(&[]);
            out.queue(MessageKind::Ack, &self.body, r.origin);
            out.counters.swim.acks_relayed += 1;
        }
    }

    pub(super) fn answer_ping(&mut self, out: &mut Out<'_>, from: NodeId, seq: u32) {
        codec::put_header(&mut self.body, MessageKind::Ack, seq, 0, 0);
        let corrections = core::mem::take(&mut self.corrections);
        self.piggyback(&corrections);
        self.corrections = corrections;
        self.corrections.clear();
        out.queue(MessageKind::Ack, &self.body, from);
    }

    pub(super) fn serve_ping_req(
        &mut self,
        out: &mut Out<'_>,
        now: Tick,
        from: NodeId,
        msg: &SwimMessage<'_>,
    ) {
        if self.relays.len() >= self.config.relays_max as usize {
            out.counters.swim.relays_dropped += 1;
            return;
        }
        let seq = self.next_seq();
        self.relays.push(Relay {
            origin: from,
            origin_seq: msg.seq,
            seq,
            deadline: Tick(
                now.0
                    .saturating_add(u64::from(self.config.probe_timeout_ticks)),
            ),
            nack: msg.flags & FLAG_NACK != 0,
        });
        out.counters.swim.ping_reqs_served += 1;
        self.send_ping(out, msg.target, seq, true);
    }

    pub(super) fn expire_relays(&mut self, out: &mut Out<'_>, now: Tick) {
        let mut i = 0;
        while i < self.relays.len() {
            if self.relays[i].deadline > now {
                i += 1;
                continue;
            }
            let r = self.relays.swap_remove(i);
            if r.nack {
                codec::put_header(&mut self.body, MessageKind::Nack, r.origin_seq, 0, 0);
                self.piggyback(&[]);
                out.queue(MessageKind::Nack, &self.body, r.origin);
                out.counters.swim.nacks_sent += 1;
            }
        }
    }
}
