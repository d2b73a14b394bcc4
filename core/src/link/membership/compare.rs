//! What the membership lab's second run (`cmp=`) is: none, the same run with Lifeguard off,
//! or the same crash, loss and seed with heartbeat gossip and a phi accrual failure detector
//! instead of SWIM ([`crate::node::membership::heartbeat`], Cassandra's way). The second run
//! is never drawn; the chart and the note set its numbers beside the run's.

use crate::node::{HeartbeatConfig, MembershipConfig};
use crate::sim::RoundRecord;

/// The second run of the lab, `cmp=` in links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Compare {
    /// No second run (`cmp=0`).
    None,
    /// The same run with Lifeguard off (`cmp=1`).
    LifeguardOff,
    /// The same nodes, period, loss, seed and actions with heartbeat gossip instead of SWIM
    /// (`cmp=hb`).
    Heartbeat,
}

impl Compare {
    /// Every value, in the order the page lists them.
    pub const ALL: [Compare; 3] = [Compare::None, Compare::LifeguardOff, Compare::Heartbeat];

    /// Its name in links.
    pub fn key(self) -> &'static str {
        match self {
            Compare::None => "0",
            Compare::LifeguardOff => "1",
            Compare::Heartbeat => "hb",
        }
    }

    /// The value named `key` in a link.
    pub fn from_key(key: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Whether there is a second run.
    pub fn is_some(self) -> bool {
        self != Compare::None
    }
}

/// Heartbeat gossip at the lab's protocol period: one heartbeat (and one table sent to one
/// member) per period, Cassandra's other defaults ([`HeartbeatConfig::default`]) scaled to it.
pub fn heartbeat(period_ticks: u32) -> MembershipConfig {
    let base = HeartbeatConfig::default();
    MembershipConfig::Heartbeat(HeartbeatConfig {
        period_ticks,
        initial_interval_ticks: 2 * period_ticks,
        interval_ticks_max: 16 * period_ticks,
        ..base
    })
}

/// The failure detector's own messages and bytes in round `r`: SWIM's (counted apart from the
/// rest, [`RoundRecord::swim`]) or, with `heartbeat`, every message (heartbeat gossip sends
/// nothing else when no data is written, as in the lab's scenarios).
pub fn detector_traffic(r: &RoundRecord, heartbeat: bool) -> (u64, u64) {
    if heartbeat {
        (r.messages_sent, r.bytes_sent)
    } else {
        (r.swim.messages_sent, r.swim.bytes_sent)
    }
}
