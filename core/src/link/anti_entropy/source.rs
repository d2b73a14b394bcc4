//! A pair taken from a cluster: two nodes of a dissemination-lab run at a round (`src=`, `r=`,
//! `na=`, `nb=`), so the lab repairs what that run left different between them.
//!
//! `src` is the dissemination run's link (its query, percent-encoded as one value), read by
//! [`crate::link::dissemination::parse`]; the run is replayed by
//! [`crate::link::dissemination::Replay`] exactly as the dissemination lab steps it, to round
//! `r` (or to where it settles, if sooner: [`Picked::round`] says which), and nodes `na` and
//! `nb`'s stores become replicas A and B, each with a tree of the link's shape. A node that is
//! down at that round still has its store (what it held when it crashed, or nothing after a
//! restart); the lab repairs the two stores as they are.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::link::dissemination::{self, Replay};
use crate::link::{Fields, ROUNDS_MAX};
use crate::reconcile::{Replica, TreeShape};

/// Two nodes of a dissemination run at a round.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Source {
    /// The dissemination run's link (a query string, without `?`).
    pub link: String,
    /// The round whose start the stores are read at.
    pub round: u32,
    /// The node that becomes replica A (the initiator).
    pub a: u32,
    /// The node that becomes replica B.
    pub b: u32,
}

/// The pair a [`Source`] gives.
#[derive(Clone, Debug)]
pub struct Picked {
    /// Replica A (node `a`'s store) and B.
    pub replicas: (Replica, Replica),
    /// The round actually reached: `round`, or the round the run settled at before it.
    pub round: u32,
}

impl Source {
    /// Replays the run to the round and takes the two nodes' stores, with trees of `shape`.
    pub fn pick(&self, shape: TreeShape) -> Result<Picked, String> {
        let (run, _) = dissemination::parse(&self.link, &mut |_, _, _| false);
        let mut replay = Replay::new(&run)?;
        while replay.round() < self.round && replay.step().is_some() {}
        let store = |id: u32| {
            replay
                .cluster()
                .node(id)
                .map(|n| n.store().clone())
                .ok_or_else(|| format!("the run has no node {id}"))
        };
        let tree = |s| Replica::try_with_tree(s, shape).map_err(|(_, e)| e.to_string());
        Ok(Picked {
            replicas: (tree(store(self.a)?)?, tree(store(self.b)?)?),
            round: replay.round(),
        })
    }

    /// The link's fields, `&src=…&r=…&na=…&nb=…`.
    pub fn encode(&self) -> String {
        format!(
            "&src={}&r={}&na={}&nb={}",
            percent_encode(&self.link),
            self.round,
            self.a,
            self.b
        )
    }
}

/// Reads the source fields (`src` and the raw `r`, `na`, `nb`, each if given): the nested
/// link's own notices are said as notices on `src`; the nodes are checked against its cluster
/// (distinct, below its nodes) and the round against [`ROUNDS_MAX`]. `None` without `src` or
/// with an empty one. A whole address pasted as `src` is cut to its query.
pub fn read(
    src: Option<&str>,
    round: Option<&str>,
    a: Option<&str>,
    b: Option<&str>,
    f: &mut Fields,
) -> Option<Source> {
    let src = src?.trim();
    let src = src.split('#').next().unwrap_or("");
    let link = match src.split_once('?') {
        Some((_, query)) => query,
        None => src,
    }
    .to_string();
    if link.is_empty() {
        return None;
    }
    let (run, notices) = dissemination::parse(&link, &mut |_, _, _| false);
    for n in notices {
        let given = format!("{}={}", n.param, n.given);
        f.note(
            "src",
            &given,
            n.used,
            format!("{} (in the cluster's link)", n.why),
        );
    }
    let last = u64::from(run.nodes - 1);
    let round = round.map_or(0, |v| f.int("r", v, 0, u64::from(ROUNDS_MAX), 0)) as u32;
    let a = a.map_or(0, |v| f.int("na", v, 0, last, 0)) as u32;
    let mut b = b.map_or(1, |v| f.int("nb", v, 0, last, 1)) as u32;
    if a == b {
        let other = if a == 0 { 1 } else { 0 };
        f.note(
            "nb",
            &b.to_string(),
            other,
            "is node na: a pair needs two nodes",
        );
        b = other;
    }
    Some(Source { link, round, a, b })
}

/// `s` with every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`: one value of
/// a query string that [`crate::link::percent_decode`] reads back.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for &byte in s.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The keys held on either side, and those whose versions differ, of a pair.
pub fn difference(a: &Replica, b: &Replica) -> (u32, u32) {
    let (sa, sb) = (a.store(), b.store());
    let mut keys: Vec<&[u8]> = sa
        .iter()
        .map(|(k, _)| k)
        .chain(sb.iter().map(|(k, _)| k))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let version = |s: &crate::store::Store, k: &[u8]| s.get(k).map(|e| e.version());
    let differing = keys
        .iter()
        .filter(|k| version(sa, k) != version(sb, k))
        .count();
    (keys.len() as u32, differing as u32)
}
