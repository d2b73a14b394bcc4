//! Lifeguard's local health (memberlist's `awareness`): how much this node doubts itself.
//!
//! A score from 0 to `health_max`: +1 for a probe that failed without the nacks that would
//! show the helpers heard nothing either (or, with no helpers to nack, for any failed probe),
//! +1 for each refutation this node had to make, -1 for a successful probe. The node's own
//! probe timeout and probe interval are multiplied by `score + 1`, so a node that is slow
//! itself (CPU exhaustion, a congested link) waits longer before accusing others.

/// The score (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health {
    score: u32,
    max: u32,
}

impl Health {
    /// A healthy node (score 0) whose score never exceeds `max`.
    pub fn new(max: u32) -> Health {
        Health { score: 0, max }
    }

    /// The score, 0 to `max`.
    pub fn score(&self) -> u32 {
        self.score
    }

    /// The factor the node's own timeouts are stretched by: `score + 1`.
    pub fn multiplier(&self) -> u32 {
        self.score + 1
    }

    /// Adds `delta`, clamped to `0..=max`.
    pub fn apply(&mut self, delta: i32) {
        let s = i64::from(self.score) + i64::from(delta);
        self.score = s.clamp(0, i64::from(self.max)) as u32;
        debug_assert!(self.score <= self.max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_stays_within_zero_and_max() {
        let mut h = Health::new(8);
        h.apply(-1);
        assert_eq!(h.score(), 0);
        for _ in 0..20 {
            h.apply(1);
        }
        assert_eq!((h.score(), h.multiplier()), (8, 9));
        h.apply(-3);
        assert_eq!(h.score(), 5);
        h.apply(i32::MIN);
        assert_eq!(h.score(), 0);
    }
}
