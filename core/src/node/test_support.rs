//! Helpers for the node's unit tests: a node with members, messages in and out.

use alloc::vec;
use alloc::vec::Vec;

use crate::codec::{self, Message, WireEntry};
use crate::node::{Exchange, Members, Mode, Node, NodeConfig, NodeId, RumorConfig};
use crate::node::{RumorFeedback, RumorStop};
use crate::rng::{Rng, Stream};
use crate::store::Version;

pub(crate) fn node_with(id: NodeId, config: NodeConfig, members: u32) -> Node {
    let mut n = Node::new(id, config, Rng::stream(7, Stream::Node, id.into())).unwrap();
    n.set_members(Members::new(0..members));
    n
}

pub(crate) fn node(id: NodeId, mode: Mode) -> Node {
    node_with(
        id,
        NodeConfig {
            mode,
            ..NodeConfig::default()
        },
        4,
    )
}

pub(crate) fn rumor(exchange: Exchange, feedback: RumorFeedback, stop: RumorStop) -> Mode {
    Mode::Rumor(RumorConfig {
        exchange,
        feedback,
        stop,
    })
}

pub(crate) fn sent(n: &mut Node) -> Vec<(NodeId, Message)> {
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Some(tx) = n.poll_transmit(&mut buf) {
        assert_eq!(tx.len_bytes, buf.len());
        let m = codec::decode(&buf, &n.config().codec_limits()).unwrap();
        out.push((tx.to, m.to_message()));
    }
    out
}

pub(crate) fn push_of(key: &[u8], counter: u64, origin: NodeId) -> Vec<u8> {
    let mut b = Vec::new();
    Message::Push(vec![WireEntry {
        key: key.to_vec(),
        version: Version { counter, origin },
        value: Some(b"v".to_vec()),
    }])
    .encode(&mut b);
    b
}

pub(crate) fn feedback_of(key: &[u8], v: Version) -> Vec<u8> {
    let mut fb = Vec::new();
    Message::Feedback(vec![(key.to_vec(), v)]).encode(&mut fb);
    fb
}
