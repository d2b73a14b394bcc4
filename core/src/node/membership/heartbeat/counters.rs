//! What one node's heartbeat gossip did: [`HeartbeatCounters`], kept by [`super::Heartbeat`].

/// What one node's heartbeat gossip did, over its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeartbeatCounters {
    /// Periods run (own heartbeats raised).
    pub periods: u64,
    /// Messages sent.
    pub messages_sent: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Rows sent (the sender's own heartbeat not counted).
    pub rows_sent: u64,
    /// Rows of the table that did not fit a period's message (sent in a later one).
    pub rows_left_out: u64,
    /// Messages received (rejected ones included).
    pub messages_received: u64,
    /// Messages rejected ([`super::HeartbeatError`]).
    pub messages_rejected: u64,
    /// Heartbeats received (rows plus each message's own), in accepted messages.
    pub heartbeats_received: u64,
    /// Of those, the ones newer than what was held.
    pub heartbeats_newer: u64,
    /// Rows about this node itself, ignored (it alone raises its heartbeat).
    pub rows_about_self: u64,
    /// Heartbeats of new members ignored because the table held `members_max` members.
    pub members_full: u64,
    /// Inter-arrival times recorded (first arrivals' initial intervals included).
    pub intervals_recorded: u64,
    /// Intervals longer than `interval_ticks_max`, not recorded.
    pub intervals_too_long: u64,
    /// Members convicted (`phi` above the threshold).
    pub convictions: u64,
    /// Convicted members heard again (the conviction cleared).
    pub recoveries: u64,
}

impl HeartbeatCounters {
    /// Bytes this node sent per period, on average: the cost of heartbeat gossip per member
    /// per period, to set beside SWIM's.
    pub fn bytes_per_period(&self) -> f64 {
        if self.periods == 0 {
            0.0
        } else {
            self.bytes_sent as f64 / self.periods as f64
        }
    }
}
