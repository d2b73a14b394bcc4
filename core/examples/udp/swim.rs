//! The SWIM scenario over real sockets: join through the first node, kill one, watch each live
//! node declare it dead. Shared by the `udp` example and `core/tests/udp.rs`.
//!
//! Every node runs SWIM with Lifeguard at its defaults ([`SwimConfig::default`], a period of
//! `probe_interval_ticks` = 8 ticks), and the wall clock sets the period: one tick is
//! `period / 8`. Nodes 1 to N - 1 start knowing only themselves and join through node 0
//! ([`UdpCluster::join`]); once every node holds every other alive, `kill` is killed (its
//! socket closed, nobody told), and the scenario runs until every live node holds it dead.
//! Each phase has a timeout in periods ([`JOIN_PERIODS_MAX`], [`DETECTION_PERIODS_MAX`]).

use std::cell::RefCell;
use std::time::Duration;

use gossip_core::node::{Event, MemberState, MembershipConfig, NodeConfig, NodeId, SwimConfig};
use gossip_core::time::Tick;

use crate::driver::UdpCluster;

/// Periods the joins may take before the scenario gives up.
pub const JOIN_PERIODS_MAX: u32 = 100;
/// Periods after the kill within which every live node must hold the killed one dead.
pub const DETECTION_PERIODS_MAX: u32 = 200;

/// What the scenario is run with.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    /// Nodes, at least 2.
    pub nodes: u32,
    /// The protocol period in wall-clock time.
    pub period: Duration,
    /// The node killed once all have joined.
    pub kill: NodeId,
    /// The seed of the nodes' random streams.
    pub seed: u64,
    /// Whether to print every join, suspicion and death as it happens.
    pub verbose: bool,
}

/// What happened.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Whether every node held every other alive within [`JOIN_PERIODS_MAX`].
    pub joined: bool,
    /// The tick of the kill.
    pub killed_at: Option<Tick>,
    /// Each live node that declared the killed one dead, with the tick, in order.
    pub declared: Vec<(NodeId, Tick)>,
    /// Every (observer, member) death of a live member: false deaths.
    pub false_deaths: Vec<(NodeId, NodeId)>,
    /// Whether every live node held the killed one dead within [`DETECTION_PERIODS_MAX`].
    pub detected: bool,
}

/// Runs the scenario; fails only if the sockets cannot be bound or a join is refused.
pub fn run(s: Scenario) -> Result<Outcome, String> {
    let swim = SwimConfig::default();
    let config = NodeConfig {
        membership: MembershipConfig::Swim(swim),
        gossip_interval_ticks: swim.probe_interval_ticks,
        ..NodeConfig::default()
    };
    let tick = s.period / swim.probe_interval_ticks;
    let mut c = UdpCluster::bind(s.nodes, config, s.seed, tick).map_err(|e| format!("{e}"))?;
    if s.verbose {
        for id in 0..s.nodes {
            println!("node {id} on {}", c.addr(id));
        }
    }
    // Written by the event callback and between runs, never both at once.
    let out = RefCell::new(Outcome::default());
    let victim = s.kill;
    let mut on_event = |now: Tick, id: NodeId, ev: &Event| {
        let Event::Member {
            member,
            view,
            previous,
        } = ev
        else {
            return;
        };
        if *member == id {
            return;
        }
        let mut out = out.borrow_mut();
        let killed = out.killed_at.is_some() && *member == victim;
        match view.state {
            MemberState::Alive if previous.is_none() && s.verbose => {
                println!("tick {:>6}: node {id} sees node {member} join", now.0)
            }
            MemberState::Suspect if s.verbose => {
                println!("tick {:>6}: node {id} suspects node {member}", now.0)
            }
            MemberState::Dead if killed => {
                out.declared.push((id, now));
                if s.verbose {
                    println!("tick {:>6}: node {id} declares node {member} dead", now.0);
                }
            }
            MemberState::Dead => {
                out.false_deaths.push((id, *member));
                if s.verbose {
                    println!(
                        "tick {:>6}: node {id} declares LIVE node {member} dead",
                        now.0
                    );
                }
            }
            _ => {}
        }
    };
    for id in 1..s.nodes {
        c.join(id, 0, &mut on_event)?;
    }
    let all_alive = |c: &UdpCluster| {
        (0..s.nodes).all(|o| {
            let swim = c.node(o).swim().expect("SWIM nodes");
            (0..s.nodes).all(|m| {
                swim.member(m)
                    .is_some_and(|v| v.state == MemberState::Alive)
            })
        })
    };
    let periods = |p: u32| s.period * p;
    let joined = c.run_for(periods(JOIN_PERIODS_MAX), &mut on_event, &mut |c| {
        all_alive(c)
    });
    out.borrow_mut().joined = joined;
    if !joined {
        return Ok(out.take());
    }
    let now = c.now();
    out.borrow_mut().killed_at = Some(now);
    if s.verbose {
        println!(
            "tick {:>6}: all {} joined; node {victim} killed",
            now.0, s.nodes
        );
    }
    c.kill(victim);
    let all_dead = |c: &UdpCluster| {
        (0..s.nodes).filter(|&o| c.is_up(o)).all(|o| {
            let swim = c.node(o).swim().expect("SWIM nodes");
            swim.member(victim)
                .is_some_and(|v| v.state == MemberState::Dead)
        })
    };
    let detected = c.run_for(periods(DETECTION_PERIODS_MAX), &mut on_event, &mut |c| {
        all_dead(c)
    });
    let mut out = out.take();
    out.detected = detected;
    Ok(out)
}
