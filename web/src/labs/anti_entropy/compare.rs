//! The same pair repaired by each strategy: a copy of the link's pair (trial 0) reconciled by
//! full state, digests, Merkle trees and rateless symbols through the core's
//! [`reconcile_pair`], so the table's rows are the sessions' own counters (and the runner's
//! `lab merkle ... --trials 1` prints the same). Pure, host-tested.

use gossip_core::link::anti_entropy::{Run, StrategyKind};
use gossip_core::reconcile::{reconcile_pair, ReconcileLimits, Report};

use super::model::REPAIR_TICK;

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The strategy.
    pub strategy: StrategyKind,
    /// What its repair cost, or `None` if the session was abandoned (it is not, within the
    /// runner's limits, for any pair a link can name).
    pub report: Option<Report>,
}

/// Every strategy's repair of `run`'s pair, in [`StrategyKind::ALL`] order.
pub fn by_strategy(run: &Run) -> Vec<Row> {
    let Ok((a, b, _)) = run.shown_pair() else {
        return Vec::new();
    };
    StrategyKind::ALL
        .into_iter()
        .map(|strategy| {
            let (mut a, mut b) = (a.clone(), b.clone());
            let s = run.strategy_of(strategy);
            let report =
                reconcile_pair(&mut a, &mut b, s, ReconcileLimits::large(), REPAIR_TICK).ok();
            Row { strategy, report }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::anti_entropy::model::Pair;

    #[test]
    fn each_row_is_that_strategys_repair_of_the_shown_pair() {
        let run = Run {
            keys: 1024,
            diffs: 5,
            ..Run::default()
        };
        let rows = by_strategy(&run);
        assert_eq!(rows.len(), 4);
        for row in &rows {
            let shown = Pair::new(Run {
                strategy: row.strategy,
                ..run.clone()
            })
            .unwrap();
            assert_eq!(row.report, Some(shown.report()), "{}", row.strategy.key());
            // Whatever each sends, exactly the 5 differing entries are new where they land.
            let r = row.report.unwrap();
            let new = r.initiator.entries_new + r.responder.entries_new;
            assert_eq!(new, 5, "{}", row.strategy.key());
        }
        let bytes = |k: StrategyKind| {
            let r = rows.iter().find(|r| r.strategy == k).unwrap();
            r.report.unwrap().bytes()
        };
        // With 5 differences in 1,024 keys the differences are cheaper to find than to list.
        assert!(bytes(StrategyKind::Merkle) < bytes(StrategyKind::Digest));
        assert!(bytes(StrategyKind::Rateless) < bytes(StrategyKind::Digest));
        assert!(bytes(StrategyKind::Digest) < bytes(StrategyKind::Full));
    }
}
