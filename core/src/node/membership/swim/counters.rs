//! What SWIM did at one node: running totals, a part of [`crate::node::Counters`], summed per
//! round in [`crate::sim::RoundRecord`].

macro_rules! counters {
    ($(#[$doc:meta])* pub struct $name:ident { $($(#[$fdoc:meta])* pub $field:ident,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name {
            $($(#[$fdoc])* pub $field: u64,)*
        }

        impl $name {
            /// The counts of `self` after `before`: what happened in between.
            pub fn since(&self, before: &$name) -> $name {
                $name { $($field: self.$field - before.$field,)* }
            }

            /// Adds `other` to `self`.
            pub fn add(&mut self, other: &$name) {
                $(self.$field += other.$field;)*
            }

            /// The messages rejected, every reason summed.
            pub fn rejected(&self) -> u64 {
                self.rejected_malformed
                    + self.rejected_unknown_member
                    + self.rejected_incarnation
                    + self.rejected_oversized
                    + self.rejected_ping_req_self
                    + self.rejected_not_for_me
                    + self.rejected_unexpected
                    + self.rejected_not_swim
            }
        }
    };
}

counters! {
    /// Running totals of what SWIM did at one node (all zero with the oracle).
    pub struct SwimCounters {
        /// Probes started (one per protocol period, unless there was nobody to probe).
        pub probes,
        /// Of those, the ones acked (directly or through a helper) before the period ended.
        pub probes_acked,
        /// Of those, the ones that ended without an ack (the target became suspect or dead).
        pub probes_failed,
        /// Ping-reqs sent to helpers.
        pub ping_reqs_sent,
        /// Ping-reqs served as a helper.
        pub ping_reqs_served,
        /// Ping-reqs not served because `relays_max` were being served.
        pub relays_dropped,
        /// Acks relayed to a requester.
        pub acks_relayed,
        /// Nacks sent as a helper.
        pub nacks_sent,
        /// Nacks received for this node's own probes.
        pub nacks_received,
        /// Members this node itself began to suspect.
        pub suspicions_started,
        /// Suspects held without a timer because `suspects_max` suspicions were running.
        pub suspicions_untimed,
        /// Independent confirmations counted for running suspicions.
        pub confirmations,
        /// Members this node declared dead (its suspicion timer expired, or a failed probe in
        /// basic SWIM).
        pub deaths_declared,
        /// Times this node refuted a suspicion or death of itself.
        pub refutations,
        /// Received updates that changed this node's view.
        pub updates_applied,
        /// Received updates that were not news.
        pub updates_stale,
        /// Updates dropped from a full broadcast queue.
        pub broadcasts_dropped,
        /// Push-pull syncs started (joins included).
        pub syncs_started,
        /// SWIM messages queued in the outbox (those dropped from a full outbox are in
        /// `outbox_dropped` instead).
        pub messages_sent,
        /// Their bytes.
        pub bytes_sent,
        /// SWIM messages rejected as malformed.
        pub rejected_malformed,
        /// Rejected: a member id at or above `members_max`.
        pub rejected_unknown_member,
        /// Rejected: an incarnation above the limit or jumping by more than
        /// `incarnation_jump_max`.
        pub rejected_incarnation,
        /// Rejected: more updates than the kind allows.
        pub rejected_oversized,
        /// Rejected: a ping-req whose target is this node.
        pub rejected_ping_req_self,
        /// Rejected: a ping for another node.
        pub rejected_not_for_me,
        /// Rejected: an ack or nack for no outstanding probe (late or duplicate).
        pub rejected_unexpected,
        /// Rejected: a SWIM message to a node whose membership is the oracle (not counted
        /// there: such a node keeps no SWIM counters; kept for the sum's completeness).
        pub rejected_not_swim,
    }
}
