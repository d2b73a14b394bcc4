//! The truth against how the cluster sees it: SWIM's views, and the detection metrics.
//!
//! With SWIM as the membership ([`crate::node::MembershipConfig::Swim`]), or heartbeat gossip
//! ([`crate::node::MembershipConfig::Heartbeat`], whose views map onto alive and dead as
//! [`crate::node::membership`] says), the simulator knows
//! the truth (which nodes are up) and follows every live node's view through its
//! [`Event::Member`](crate::node::Event::Member) events: per member, how many live nodes hold
//! it alive, suspect, dead or left ([`MembershipViews::holders`]), updated in O(1) per event
//! (a crash subtracts the crashed node's whole view, a restart adds the new one, O(N) each).
//! With the oracle nothing here is updated and every count stays zero.
//!
//! # Periods
//! A protocol period is one simulator round when `probe_interval_ticks == ticks_per_round`
//! (and no node's local health stretches its interval); the metrics below count rounds, so
//! they are periods under that condition only (the runner sets it).
//!
//! # The metrics, exactly
//! * `first_detection_periods` of a crash (a [`Detection`]): the member crashes at the start of
//!   round c (actions apply at round starts); if some live node first marks it suspect (or dead
//!   without suspicion) during round r, it is `r - c + 1` (that period counts, so at least 1).
//! * `full_detection_periods`: `r - c + 1` for the first round r at whose end every live node
//!   holds it dead (checked at round ends). A restart of the member before either ends its
//!   record (the value stays `None`).
//! * Probes of live members ([`MembershipRound::live_probes`]): probes started in the round
//!   whose target was up; [`MembershipRound::live_probes_failed`]: probes judged in the round
//!   (at the last tick of their period) whose target was up and that got no ack, the false
//!   failures (a probe is judged in the round it started when a period is a round).
//! * False suspicions / false deaths: events in the round by which a live node came to hold an
//!   *up* member suspect / dead (each observer and member counted once per change); of those,
//!   `false_suspicions_of_slow` / `false_deaths_of_slow` are the ones whose member was slow
//!   (lagging, [`crate::sim::slow`]) at that moment, so the rest are of healthy members.
//! * Messages and bytes per member per period: [`crate::sim::RoundRecord::swim`]'s
//!   `messages_sent` and `bytes_sent` over `live_nodes`, per round.
//! * Update spread: for each member, the newest view any live node holds of it (in SWIM's
//!   precedence) is an update born in the round a live node first held it; it has reached
//!   every live member in the first round r at whose end every live node holds exactly it,
//!   and then `r - born + 1` periods are recorded ([`MembershipRound::updates_spread`],
//!   [`MembershipRound::update_spread_periods`], summed, and `_max`). An update superseded
//!   first (a suspicion refuted) is never recorded.

use alloc::vec;
use alloc::vec::Vec;

use crate::node::{MemberState, MemberView, MembershipConfig, Node, NodeId};

/// Most crash records kept; later crashes are counted in
/// [`MembershipViews::detections_dropped`] only.
pub const DETECTIONS_MAX: usize = 4096;

/// One crash and how long the cluster took to notice (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Detection {
    /// The crashed member.
    pub member: NodeId,
    /// The round it crashed at the start of.
    pub crash_round: u32,
    /// Periods until some live node suspected it (or declared it dead without suspicion).
    pub first_detection_periods: Option<u32>,
    /// Periods until every live node held it dead.
    pub full_detection_periods: Option<u32>,
    /// Whether it restarted before the record was complete.
    pub restarted: bool,
}

/// What the views did in one round (see the module docs for each definition).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MembershipRound {
    /// Probes started whose target was up.
    pub live_probes: u64,
    /// Probes of an up target that ended without an ack (the target became suspect, or dead
    /// in basic SWIM): false failures.
    pub live_probes_failed: u64,
    /// Live nodes coming to hold an up member suspect.
    pub false_suspicions: u64,
    /// Live nodes coming to hold an up member dead.
    pub false_deaths: u64,
    /// Of `false_suspicions`, those whose member was slow ([`crate::sim::slow`]) at the time:
    /// the rest were of healthy members (Lifeguard's measure).
    pub false_suspicions_of_slow: u64,
    /// Of `false_deaths`, those whose member was slow at the time.
    pub false_deaths_of_slow: u64,
    /// Crashes first detected this round.
    pub first_detections: u64,
    /// Crashes fully detected this round.
    pub full_detections: u64,
    /// Updates that reached every live node this round.
    pub updates_spread: u64,
    /// Their periods from birth, summed.
    pub update_spread_periods: u64,
    /// The longest of them.
    pub update_spread_periods_max: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Spread {
    view: Option<MemberView>,
    born: u32,
    holders: u32,
    done: bool,
}

/// The views of every live node, summed per member (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembershipViews {
    holders: Vec<[u32; 4]>,
    spreads: Vec<Spread>,
    detections: Vec<Detection>,
    open: Vec<usize>,
    detections_dropped: u64,
    incarnations: Vec<u32>,
    round: MembershipRound,
}

fn slot(s: MemberState) -> usize {
    s.code() as usize - 1
}

impl MembershipViews {
    /// `nodes` nodes, each holding every member alive at incarnation 0 (the seeded start).
    pub(crate) fn seeded(nodes: u32) -> MembershipViews {
        let alive = MemberView {
            state: MemberState::Alive,
            incarnation: 0,
        };
        MembershipViews {
            holders: vec![[nodes, 0, 0, 0]; nodes as usize],
            spreads: vec![
                Spread {
                    view: Some(alive),
                    born: 0,
                    holders: nodes,
                    done: true,
                };
                nodes as usize
            ],
            incarnations: vec![0; nodes as usize],
            ..MembershipViews::default()
        }
    }

    /// How many live nodes hold `member` alive, suspect, dead and left, in that order.
    pub fn holders(&self, member: NodeId) -> [u32; 4] {
        self.holders
            .get(member as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Every crash recorded, in order.
    pub fn detections(&self) -> &[Detection] {
        &self.detections
    }

    /// Crashes beyond [`DETECTIONS_MAX`].
    pub fn detections_dropped(&self) -> u64 {
        self.detections_dropped
    }

    /// The counts of the round in progress.
    pub fn current(&self) -> &MembershipRound {
        &self.round
    }

    // A live node's view of `member` went from `previous` to `view` in `round`; `member_up`
    // whether the member is up, `member_slow` whether it is slow (lagging) as well.
    pub(crate) fn changed(
        &mut self,
        member: NodeId,
        view: MemberView,
        previous: Option<MemberView>,
        round: u32,
        (member_up, member_slow): (bool, bool),
    ) {
        let Some(h) = self.holders.get_mut(member as usize) else {
            return;
        };
        if let Some(p) = previous {
            debug_assert!(
                h[slot(p.state)] > 0,
                "a view left a state it was counted in"
            );
            h[slot(p.state)] = h[slot(p.state)].saturating_sub(1);
        }
        h[slot(view.state)] += 1;
        let news = previous.map(|p| p.state) != Some(view.state);
        if member_up && news {
            let slow = u64::from(member_slow);
            match view.state {
                MemberState::Suspect => {
                    self.round.false_suspicions += 1;
                    self.round.false_suspicions_of_slow += slow;
                }
                MemberState::Dead => {
                    self.round.false_deaths += 1;
                    self.round.false_deaths_of_slow += slow;
                }
                _ => {}
            }
        }
        if !member_up && matches!(view.state, MemberState::Suspect | MemberState::Dead) {
            self.first_detected(member, round);
        }
        self.spread_moved(member, previous, Some(view), round);
    }

    fn spread_moved(
        &mut self,
        member: NodeId,
        from: Option<MemberView>,
        to: Option<MemberView>,
        round: u32,
    ) {
        let s = &mut self.spreads[member as usize];
        if from.is_some() && from == s.view {
            debug_assert!(s.holders > 0, "a holder of the newest view left it");
            s.holders = s.holders.saturating_sub(1);
        }
        let Some(v) = to else { return };
        if Some(v) == s.view {
            s.holders += 1;
        } else if v.overrides(s.view) {
            *s = Spread {
                view: Some(v),
                born: round,
                holders: 1,
                done: false,
            };
        }
    }

    fn first_detected(&mut self, member: NodeId, round: u32) {
        for &i in &self.open {
            let d = &mut self.detections[i];
            if d.member == member && d.first_detection_periods.is_none() {
                d.first_detection_periods = Some(round - d.crash_round + 1);
                self.round.first_detections += 1;
            }
        }
    }

    // Node `node` crashed at the start of `round`: its view is gone, and a record opens.
    pub(crate) fn crashed(&mut self, node: &Node, round: u32) {
        // With the oracle nothing is followed.
        if self.incarnations.is_empty() {
            return;
        }
        let id = node.id();
        let membership = node.membership();
        if let Some(inc) = membership.incarnation() {
            self.incarnations[id as usize] = inc;
        }
        membership.for_each_view(|m, v| {
            if let Some(h) = self.holders.get_mut(m as usize) {
                debug_assert!(h[slot(v.state)] > 0, "a crashed view was counted");
                h[slot(v.state)] = h[slot(v.state)].saturating_sub(1);
                self.spread_moved(m, Some(v), None, round);
            }
        });
        if self.detections.len() >= DETECTIONS_MAX {
            self.detections_dropped += 1;
            return;
        }
        self.open.push(self.detections.len());
        self.detections.push(Detection {
            member: id,
            crash_round: round,
            first_detection_periods: None,
            full_detection_periods: None,
            restarted: false,
        });
    }

    /// The incarnation node `id` had when it last crashed (0 if never).
    pub fn last_incarnation(&self, id: NodeId) -> u32 {
        self.incarnations.get(id as usize).copied().unwrap_or(0)
    }

    // Node `node` (re)started in `round`: its view counts, and its open record ends.
    pub(crate) fn restarted(&mut self, node: &Node, round: u32) {
        let id = node.id();
        node.membership().for_each_view(|m, v| {
            if let Some(h) = self.holders.get_mut(m as usize) {
                h[slot(v.state)] += 1;
                self.spread_moved(m, None, Some(v), round);
            }
        });
        let detections = &mut self.detections;
        self.open.retain(|&i| {
            let d = &mut detections[i];
            if d.member == id {
                d.restarted = true;
            }
            d.member != id
        });
    }

    // A probe ended without an ack in this round; `up` whether its target was up.
    pub(crate) fn probe_failed(&mut self, up: bool) {
        self.round.live_probes_failed += u64::from(up);
    }

    // A probe started in this round; `up` whether its target was up.
    pub(crate) fn probed(&mut self, up: bool) {
        self.round.live_probes += u64::from(up);
    }

    // The end of `round` with `live` nodes up: full detections and complete spreads.
    pub(crate) fn finish_round(&mut self, round: u32, live: u32) -> MembershipRound {
        let (holders, detections) = (&self.holders, &mut self.detections);
        let mut full = 0;
        self.open.retain(|&i| {
            let d = &mut detections[i];
            let dead = holders[d.member as usize][slot(MemberState::Dead)];
            if dead >= live && d.first_detection_periods.is_some() {
                d.full_detection_periods = Some(round - d.crash_round + 1);
                full += 1;
                return false;
            }
            true
        });
        self.round.full_detections += full;
        for s in &mut self.spreads {
            if !s.done && s.holders >= live && live > 0 {
                s.done = true;
                let periods = u64::from(round - s.born + 1);
                self.round.updates_spread += 1;
                self.round.update_spread_periods += periods;
                self.round.update_spread_periods_max =
                    self.round.update_spread_periods_max.max(periods);
            }
        }
        core::mem::take(&mut self.round)
    }
}

impl crate::sim::Cluster {
    // Node `n` leaves gracefully (`Action::Leave`).
    pub(crate) fn swim_leave(&mut self, n: NodeId) -> Result<(), crate::sim::ActionError> {
        use crate::sim::ActionError;
        // Heartbeat gossip has no graceful leave.
        if !matches!(self.config().node.membership, MembershipConfig::Swim(_)) {
            return Err(ActionError::NotSwim);
        }
        let now = self.now;
        let node = self
            .nodes
            .get_mut(n as usize)
            .ok_or(ActionError::NoSuchNode(n))?
            .as_mut()
            .ok_or(ActionError::NodeDown(n))?;
        let before = *node.counters();
        let left = node.leave(now);
        debug_assert!(left.is_ok(), "a SWIM node can leave");
        self.current.add_node(&before, node.counters());
        self.drain(n);
        Ok(())
    }

    // A SWIM node restarted: above its previous life's incarnation, it joins through the
    // lowest-id live node (documented in `crate::sim`, "Crash and restart").
    pub(crate) fn swim_rejoin(&mut self, id: NodeId) {
        let now = self.now;
        let round = self.round().0 as u32;
        let seed = (0..self.nodes.len() as NodeId).find(|&i| i != id && self.is_up(i));
        let inc = self.views.last_incarnation(id).saturating_add(1);
        let Some(node) = self.nodes[id as usize].as_mut() else {
            return;
        };
        // The node is SWIM (checked by the caller), so neither call can fail.
        let raised = node.set_incarnation(inc);
        debug_assert!(raised.is_ok(), "a SWIM node takes an incarnation");
        self.views.restarted(node, round);
        if let Some(seed) = seed {
            let before = *node.counters();
            let joined = node.join(now, seed);
            debug_assert!(joined.is_ok(), "a SWIM node joins");
            self.current.add_node(&before, node.counters());
        }
        self.drain(id);
    }
}
