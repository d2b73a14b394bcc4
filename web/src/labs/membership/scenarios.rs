//! The membership lab's scenarios: the picker's titles (the core's) and captions that say
//! exactly what each shows, plain words first. Each caption's claims are checked on the engine
//! by the core's `link::membership` tests and on the page by the e2e tests.

use gossip_core::link::membership::Scenario;

/// What the scenario shows.
pub fn caption(s: Scenario) -> &'static str {
    match s {
        Scenario::Custom => "Parameters chosen by hand.",
        Scenario::Detect => {
            "No node is told about a crash: each finds out by probing. Node 5 crashes at the \
             start of period 3 (a period is one round of 8 ticks). Each period every node pings \
             one member; a ping that gets no ack within 2 ticks is retried through 3 other \
             members (ping-req), and a probe that still gets no answer marks node 5 suspect \
             (orange). The suspicion spreads on later pings and acks. After the suspicion \
             timeout (between 6 and 36 periods at 32 nodes, shorter as more members suspect it \
             independently) node 5 is declared dead (red) and the news spreads until every \
             live node holds it dead. The chart compares the first detection with the analysis."
        }
        Scenario::Refute => {
            "No node fails, but every message is lost with probability 10 % and a probe asks \
             only 1 helper, so now and then a probe of a healthy node gets no answer and its \
             target is marked suspect. The suspect hears of it on the next messages, raises \
             its incarnation and spreads \"alive\", which overrides the suspicion. The chart \
             counts the false suspicions (many) and the false deaths: none in the first 60 \
             periods of this seed."
        }
        Scenario::Slow => {
            "Node 3 becomes slow at period 2: it handles everything it receives, and its own \
             timers, 16 ticks (two periods) late, losing nothing (the overloaded-CPU case \
             Lifeguard was built for). It misses the acks of its own probes, even through its 3 \
             helpers, and so accuses healthy members; the others, in turn, see it answer late. \
             The same seed and actions also run with Lifeguard off (dashed lines). The chart \
             keeps apart what Lifeguard is about, healthy members wrongly suspected or declared \
             dead, from the slow node itself being declared dead. By period 120 of this seed: \
             healthy members declared dead 0 with Lifeguard against 57 without, healthy members \
             suspected 98 times against 3134 (Lifeguard's local health makes the slow node \
             doubt itself before it accuses others). The slow node itself is declared dead more \
             often with Lifeguard, 132 times against 38: it is too late to refute, and \
             Lifeguard's independent confirmations end its suspicion sooner."
        }
        Scenario::SwimHeartbeat => {
            "Two ways of learning who is alive, on the same 32 nodes, seed and 5 % message \
             loss; node 5 crashes at the start of period 40. Drawn: SWIM with Lifeguard, \
             which probes one member each period and asks 3 helpers when the ack does not \
             come. Beside it (dashed lines, the second list of detections): heartbeat gossip \
             as Cassandra does it, where each node raises its heartbeat counter every period \
             and sends its whole table to one random member, and each observer convicts a \
             member when its phi (how unlikely the silence is, given the gaps it has seen) \
             exceeds 8. SWIM first suspects node 5 after 2 periods and every live node holds \
             it dead after 10; heartbeat gossip first convicts it after 44 periods and \
             everywhere after 75. Neither declares a live member dead in 120 periods (SWIM \
             suspects some and they refute). Heartbeats cost more bytes: the table grows \
             with the cluster, 21.7 against 97.0 bytes per member per period over \
             the 120 periods."
        }
        Scenario::JoinLeave => {
            "Node 5 is down from the start: the others find it suspect, then dead. At period 12 \
             it starts and joins through node 0 with a push-pull state sync, at a higher \
             incarnation, and the news that it is alive spreads until every node holds it \
             alive. At period 24 node 9 leaves gracefully: it says so, and every node marks it \
             left (grey) without suspecting it."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::membership::chart::totals;
    use crate::labs::membership::run::Run;
    use crate::labs::membership::url;

    #[test]
    fn the_slow_caption_gives_the_numbers_the_page_shows_at_period_120() {
        let (p, _) = url::parse("?lab=membership&s=slow&r=120");
        let run = Run::open(p, Vec::new());
        let (with, without) = (
            totals(&run.timeline.records()[..120]),
            totals(&run.compare_records().unwrap()[..120]),
        );
        let text = caption(Scenario::Slow);
        for (what, a, b) in [
            (
                "declared dead",
                with.healthy_deaths(),
                without.healthy_deaths(),
            ),
            (
                "suspected",
                with.healthy_suspicions(),
                without.healthy_suspicions(),
            ),
        ] {
            let said = format!("healthy members {what} {a}");
            assert!(text.contains(&said), "{said}");
            assert!(text.contains(&format!("against {b}")), "{what}: {b}");
        }
        let slow = format!(
            "{} times against {}",
            with.false_deaths_of_slow, without.false_deaths_of_slow
        );
        assert!(text.contains(&slow), "{slow}");
        assert!(with.healthy_deaths() < without.healthy_deaths());
    }

    #[test]
    fn the_heartbeat_caption_gives_the_detections_and_bytes_the_page_shows_at_period_120() {
        use crate::labs::membership::chart::{detection_at, detector_bytes_per_member};
        let (p, _) = url::parse("?lab=membership&s=swimhb&r=120");
        let run = Run::open(p, Vec::new());
        let swim = run.engine().cluster().views().detections()[0];
        let hb = run
            .compare
            .as_ref()
            .unwrap()
            .model()
            .cluster()
            .views()
            .detections()[0];
        let hb = detection_at(&hb, 120);
        let text = caption(Scenario::SwimHeartbeat);
        let periods = |d: &gossip_core::sim::Detection| {
            (
                d.first_detection_periods.unwrap(),
                d.full_detection_periods.unwrap(),
            )
        };
        let (s1, s2) = periods(&swim);
        let (h1, h2) = periods(&hb);
        let said = format!("SWIM first suspects node 5 after {s1} periods and every live node holds it dead after {s2}");
        assert!(text.contains(&said), "{said}");
        let said = format!("first convicts it after {h1} periods and everywhere after {h2}");
        assert!(text.contains(&said), "{said}");
        let b = |recs: &[gossip_core::sim::RoundRecord], hb| {
            format!("{:.1}", detector_bytes_per_member(&recs[..120], hb))
        };
        let said = format!(
            "{} against {} bytes per member per period",
            b(run.timeline.records(), false),
            b(run.compare_records().unwrap(), true)
        );
        assert!(text.contains(&said), "{said}");
        let deaths = |recs: &[gossip_core::sim::RoundRecord]| totals(&recs[..120]).false_deaths;
        assert_eq!(
            (
                deaths(run.timeline.records()),
                deaths(run.compare_records().unwrap())
            ),
            (0, 0)
        );
        assert!(totals(&run.timeline.records()[..120]).false_suspicions > 0);
    }
}
