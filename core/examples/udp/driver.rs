//! Runs `Node`s over real UDP sockets on 127.0.0.1, with the wall clock driving their ticks.
//!
//! This is the proof that the core is a sans-IO library and not only a simulator: the same
//! [`Node`] the simulator drives is fed datagrams from sockets and ticks from a clock. Tick `t`
//! is `elapsed / tick` since the cluster was bound, so every node reads the same clock. One
//! thread runs every node with non-blocking sockets: each pass reads every datagram waiting on
//! each node's socket into one reused receive buffer and hands it to `handle_message`, ticks the
//! node when its `poll_timeout` has come, and after every input drains `poll_transmit` onto the
//! socket and `poll_event` into the caller's callback (the one invariant of the driver surface).
//! Between passes it sleeps until the next timeout, at most `POLL_SLEEP_MAX`, because without an
//! event loop a datagram is noticed only at the next pass.
//!
//! Membership is the node's configured source. With the oracle every node is told the live
//! nodes at bind time and [`UdpCluster::kill`] tells the others at once. With SWIM (or
//! heartbeat gossip) each node starts knowing only itself, [`UdpCluster::join`] joins it
//! through a seed node, and a kill only closes the socket: the others find out by themselves.

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

use gossip_core::node::{Event, Members, MembershipConfig, Node, NodeConfig, NodeId};
use gossip_core::rng::{Rng, Stream};
use gossip_core::time::Tick;

/// The largest datagram received (UDP's own limit); longer ones are truncated by the kernel and
/// then rejected by the node's decoder.
pub const DATAGRAM_BYTES_MAX: usize = 65_507;
/// The longest sleep between two passes over the sockets.
pub const POLL_SLEEP_MAX: Duration = Duration::from_millis(1);

/// What the driver itself saw (the nodes count the rest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DriverCounters {
    /// Datagrams received and handed to a node.
    pub datagrams_received: u64,
    /// Datagrams from an address that is no node's, dropped.
    pub datagrams_unknown_sender: u64,
    /// Datagrams a node rejected as malformed.
    pub datagrams_rejected: u64,
    /// Datagrams sent.
    pub datagrams_sent: u64,
    /// Sends or receives that failed with an error other than "would block".
    pub socket_errors: u64,
}

struct UdpNode {
    node: Node,
    // `None` once killed.
    socket: Option<UdpSocket>,
}

/// `n` nodes, each with its own socket on 127.0.0.1. See the module docs.
pub struct UdpCluster {
    nodes: Vec<UdpNode>,
    addrs: Vec<SocketAddr>,
    by_addr: HashMap<SocketAddr, NodeId>,
    start: Instant,
    tick: Duration,
    send_buf: Vec<u8>,
    recv_buf: Vec<u8>,
    counters: DriverCounters,
}

impl UdpCluster {
    /// Binds `n` sockets on ephemeral ports and makes one node per socket, node `i` drawing
    /// from `Rng::stream(seed, Stream::Node, i)` as in the simulator; with the oracle every node
    /// is told all `n`, otherwise each knows only itself. Fails if a socket cannot be bound or
    /// the configuration is invalid.
    pub fn bind(n: u32, config: NodeConfig, seed: u64, tick: Duration) -> io::Result<UdpCluster> {
        let invalid = |e| io::Error::new(io::ErrorKind::InvalidInput, format!("{e}"));
        let members = Members::new(0..n);
        let mut nodes = Vec::with_capacity(n as usize);
        let mut addrs = Vec::with_capacity(n as usize);
        for id in 0..n {
            let socket = UdpSocket::bind("127.0.0.1:0")?;
            socket.set_nonblocking(true)?;
            addrs.push(socket.local_addr()?);
            let rng = Rng::stream(seed, Stream::Node, id.into());
            let mut node = Node::new(id, config, rng).map_err(invalid)?;
            if config.membership == MembershipConfig::Oracle {
                node.set_members(members.clone());
            }
            nodes.push(UdpNode {
                node,
                socket: Some(socket),
            });
        }
        let by_addr = addrs
            .iter()
            .enumerate()
            .map(|(i, a)| (*a, i as NodeId))
            .collect();
        Ok(UdpCluster {
            nodes,
            addrs,
            by_addr,
            start: Instant::now(),
            tick: tick.max(Duration::from_micros(1)),
            send_buf: Vec::new(),
            recv_buf: vec![0; DATAGRAM_BYTES_MAX],
            counters: DriverCounters::default(),
        })
    }

    /// The current tick of the wall clock.
    pub fn now(&self) -> Tick {
        Tick((self.start.elapsed().as_nanos() / self.tick.as_nanos()) as u64)
    }

    /// Node `id` (live or killed).
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize].node
    }

    /// The socket address of node `id`.
    pub fn addr(&self, id: NodeId) -> SocketAddr {
        self.addrs[id as usize]
    }

    /// What the driver counted.
    pub fn counters(&self) -> &DriverCounters {
        &self.counters
    }

    /// Whether node `id` is running.
    pub fn is_up(&self, id: NodeId) -> bool {
        self.nodes[id as usize].socket.is_some()
    }

    /// A client writes `key = value` at node `id`, now.
    pub fn write(
        &mut self,
        id: NodeId,
        key: &[u8],
        value: &[u8],
        on_event: &mut dyn FnMut(Tick, NodeId, &Event),
    ) -> Result<(), String> {
        let now = self.now();
        let n = &mut self.nodes[id as usize].node;
        n.write(now, key, value).map_err(|e| format!("{e}"))?;
        self.drain(id, now, on_event);
        Ok(())
    }

    /// Node `id` joins through node `seed` ([`Node::join`]; not with the oracle).
    pub fn join(
        &mut self,
        id: NodeId,
        seed: NodeId,
        on_event: &mut dyn FnMut(Tick, NodeId, &Event),
    ) -> Result<(), String> {
        let now = self.now();
        let n = &mut self.nodes[id as usize].node;
        n.join(now, seed).map_err(|e| format!("{e}"))?;
        self.drain(id, now, on_event);
        Ok(())
    }

    /// Kills node `id`: its socket is closed; with the oracle the others are told at once.
    pub fn kill(&mut self, id: NodeId) {
        self.nodes[id as usize].socket = None;
        if self.nodes[id as usize].node.config().membership != MembershipConfig::Oracle {
            return;
        }
        let live = (0..self.nodes.len() as NodeId).filter(|&i| self.is_up(i));
        let members = Members::new(live);
        for n in self.nodes.iter_mut().filter(|n| n.socket.is_some()) {
            n.node.set_members(members.clone());
        }
    }

    /// Runs passes over the sockets for `duration` of wall time, or until `done` says so after
    /// a pass; returns whether `done` ended it.
    pub fn run_for(
        &mut self,
        duration: Duration,
        on_event: &mut dyn FnMut(Tick, NodeId, &Event),
        done: &mut dyn FnMut(&UdpCluster) -> bool,
    ) -> bool {
        let end = Instant::now() + duration;
        while Instant::now() < end {
            self.pass(on_event);
            if done(self) {
                return true;
            }
            self.sleep_until_next_timeout();
        }
        false
    }

    // One pass: every node's waiting datagrams, then its tick if due.
    fn pass(&mut self, on_event: &mut dyn FnMut(Tick, NodeId, &Event)) {
        let now = self.now();
        for id in 0..self.nodes.len() as NodeId {
            self.receive_all(id, now, on_event);
            let n = &mut self.nodes[id as usize];
            if n.socket.is_some() && now >= n.node.poll_timeout() {
                n.node.handle_tick(now);
                self.drain(id, now, on_event);
            }
        }
    }

    fn receive_all(
        &mut self,
        id: NodeId,
        now: Tick,
        on_event: &mut dyn FnMut(Tick, NodeId, &Event),
    ) {
        loop {
            let Some(socket) = self.nodes[id as usize].socket.as_ref() else {
                return;
            };
            let (len, addr) = match socket.recv_from(&mut self.recv_buf) {
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.counters.socket_errors += 1;
                    return;
                }
            };
            let Some(&from) = self.by_addr.get(&addr) else {
                self.counters.datagrams_unknown_sender += 1;
                continue;
            };
            self.counters.datagrams_received += 1;
            let node = &mut self.nodes[id as usize].node;
            if node
                .handle_message(now, from, &self.recv_buf[..len])
                .is_err()
            {
                self.counters.datagrams_rejected += 1;
            }
            self.drain(id, now, on_event);
        }
    }

    // Sends node `id`'s outbox and hands its events to `on_event`.
    fn drain(&mut self, id: NodeId, now: Tick, on_event: &mut dyn FnMut(Tick, NodeId, &Event)) {
        let UdpNode { node, socket } = &mut self.nodes[id as usize];
        while let Some(tx) = node.poll_transmit(&mut self.send_buf) {
            let Some(socket) = socket.as_ref() else {
                continue;
            };
            match socket.send_to(&self.send_buf, self.addrs[tx.to as usize]) {
                Ok(_) => self.counters.datagrams_sent += 1,
                // A full socket buffer loses the datagram, as a network would.
                Err(_) => self.counters.socket_errors += 1,
            }
        }
        while let Some(ev) = node.poll_event() {
            on_event(now, id, &ev);
        }
    }

    fn sleep_until_next_timeout(&self) {
        let next = self
            .nodes
            .iter()
            .filter(|n| n.socket.is_some())
            .map(|n| n.node.poll_timeout())
            .min();
        let now = self.now();
        let wait = match next {
            Some(t) if t > now => self.tick * (t.0 - now.0).min(1 << 20) as u32,
            _ => Duration::ZERO,
        };
        thread::sleep(wait.min(POLL_SLEEP_MAX));
    }
}
