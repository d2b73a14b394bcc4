//! How a received update changes this node's view: precedence, events, suspicion timers,
//! refutations of what is said about this node, and corrections for a sender that is behind.

use crate::node::membership::swim::*;
use crate::node::NodeId;
use crate::time::Tick;

impl Swim {
    pub(super) fn own_update(&self) -> Update {
        Update {
            member: self.id,
            state: if self.left {
                MemberState::Left
            } else {
                MemberState::Alive
            },
            incarnation: self.incarnation,
            accuser: 0,
        }
    }

    // Applies one validated update: news changes the view (an event), is passed on, and
    // starts or ends a suspicion; an update about this node is refuted if it must be.
    pub(super) fn apply(&mut self, out: &mut Out<'_>, now: Tick, u: Update, correct: bool) {
        if u.member == self.id {
            return self.about_self(out, u, correct);
        }
        let view = MemberView {
            state: u.state,
            incarnation: u.incarnation,
        };
        let held = self.table.get(u.member);
        if let Some(h) = held.filter(|h| correct && h.overrides(Some(view))) {
            // The sender is behind: the answer tells it (a straggler that missed a refutation
            // would otherwise declare a live member dead once the refutation died out).
            self.note_correction(out, u.member, h);
        }
        if !view.overrides(held) {
            let confirms = u.state == MemberState::Suspect
                && held == Some(view)
                && self.config.lifeguard.dynamic_suspicion
                && u.accuser != self.id
                && self.suspicions.confirm(u.member, u.incarnation, u.accuser);
            if confirms {
                out.counters.swim.confirmations += 1;
                // Passed on, so others hear of the independent suspicion too (memberlist).
                self.enqueue(out, u);
            } else {
                out.counters.swim.updates_stale += 1;
            }
            return;
        }
        out.counters.swim.updates_applied += 1;
        self.set_view(out, now, u);
        self.enqueue(out, u);
    }

    // Sets `u` in the table (precedence checked by the caller): event, probe list,
    // suspicion timer, members cache.
    pub(super) fn set_view(&mut self, out: &mut Out<'_>, now: Tick, u: Update) {
        let view = MemberView {
            state: u.state,
            incarnation: u.incarnation,
        };
        let previous = self.table.set(u.member, view);
        let was_live = previous.is_some_and(|p| p.state.is_live());
        if was_live != view.state.is_live() {
            self.members = OnceCell::new();
        }
        if view.state.is_live() && !was_live {
            self.order
                .insert(&mut self.table, self.id, u.member, &mut self.rng);
        }
        if view.state == MemberState::Suspect {
            let bounds = self.suspicion_bounds();
            if !self
                .suspicions
                .start(u.member, u.incarnation, u.accuser, now, bounds)
            {
                out.counters.swim.suspicions_untimed += 1;
            }
        } else {
            self.suspicions.remove(u.member);
        }
        out.changed(u.member, view, previous);
    }

    // Notes this node's newer view `v` of `member`, which the message being handled carried
    // an older update about: an ack answering it carries up to `CORRECTIONS_MAX` of them
    // first, and the view is queued again (its sends start over) if it is not queued, so the
    // news reaches a straggler that missed it.
    pub(super) fn note_correction(&mut self, out: &mut Out<'_>, member: NodeId, v: MemberView) {
        let accuser = self
            .suspicions
            .get(member)
            .map_or(self.id, |s| s.accusers()[0]);
        let u = Update {
            member,
            state: v.state,
            incarnation: v.incarnation,
            accuser,
        };
        if self.corrections.len() < CORRECTIONS_MAX {
            self.corrections.push(u);
        }
        if !self.broadcasts.contains(member) {
            self.enqueue(out, u);
        }
    }

    pub(super) fn enqueue(&mut self, out: &mut Out<'_>, u: Update) {
        if self.broadcasts.push(u) {
            out.counters.swim.broadcasts_dropped += 1;
        }
    }

    // Someone says something about this node: a suspicion, a death or a departure it did not
    // make (or an old life's higher incarnation) is refuted with a higher incarnation.
    pub(super) fn about_self(&mut self, out: &mut Out<'_>, u: Update, correct: bool) {
        let against = match u.state {
            MemberState::Alive => u.incarnation > self.incarnation,
            MemberState::Left => !self.left && u.incarnation >= self.incarnation,
            MemberState::Suspect | MemberState::Dead => u.incarnation >= self.incarnation,
        };
        if !against || self.left {
            out.counters.swim.updates_stale += 1;
            if correct && (u.state != MemberState::Alive || u.incarnation < self.incarnation) {
                let own = self.table.get(self.id);
                if let Some(v) = own {
                    self.note_correction(out, self.id, v);
                }
            }
            return;
        }
        let previous = self.table.get(self.id);
        self.incarnation = (u.incarnation + 1).min(INCARNATION_LIMIT);
        let view = MemberView {
            state: MemberState::Alive,
            incarnation: self.incarnation,
        };
        self.table.set(self.id, view);
        out.changed(self.id, view, previous);
        out.counters.swim.refutations += 1;
        if u.state != MemberState::Alive && self.config.lifeguard.local_health {
            self.health.apply(1);
        }
        let own = self.own_update();
        self.enqueue(out, own);
    }

    // (min, max, k) of a suspicion started now (see `suspicion`).
    pub(super) fn suspicion_bounds(&self) -> (u64, u64, u32) {
        let n = self.table.live();
        let min = suspicion::min_timeout_ticks(
            self.config.suspicion_alpha,
            n,
            self.config.probe_interval_ticks,
        );
        if !self.config.lifeguard.dynamic_suspicion {
            return (min, min, 0);
        }
        let k = self.config.suspicion_confirmations_k;
        let k = if n < k + 2 { 0 } else { k };
        (min, min * u64::from(self.config.suspicion_beta), k)
    }

    pub(super) fn suspicion_expired(&mut self, out: &mut Out<'_>, s: Suspicion) {
        let held = self.table.get(s.member);
        let still =
            held.is_some_and(|v| v.state == MemberState::Suspect && v.incarnation == s.incarnation);
        if !still {
            return;
        }
        out.counters.swim.deaths_declared += 1;
        let u = Update {
            member: s.member,
            state: MemberState::Dead,
            incarnation: s.incarnation,
            accuser: 0,
        };
        self.set_view(out, Tick(s.deadline.0), u);
        self.enqueue(out, u);
    }
}
