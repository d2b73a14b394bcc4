//! The membership lab's scenarios: the picker's titles (the core's) and captions that say
//! exactly what each shows, plain words first. Each caption's claims are checked on the engine
//! by the core's `link::membership` tests and on the page by the e2e tests.

use gossip_core::link::membership::Scenario;

use crate::shell::caption::CaptionText;

/// What the scenario shows: plain words first, the numbers and mechanisms behind "More"
/// ([`crate::shell::caption`], the glossary's markup).
pub fn caption(s: Scenario) -> CaptionText {
    let (plain, more) = match s {
        Scenario::Custom => ("Parameters chosen by hand.", ""),
        Scenario::Detect => (
            "No node is told about a crash: each finds out by probing. Node 5 crashes at the \
             start of [period] 3. Each period every node pings one member; when node 5 does \
             not answer, even through other members, it becomes [suspect] (orange), later \
             dead (red), and the news spreads until every live node holds it dead.",
            "A period is one round of 8 ticks. A ping that gets no ack within 2 ticks is \
             retried through 3 other members ([ping-req]), and a probe that still gets no \
             answer marks node 5 suspect. The suspicion spreads on later pings and acks. After \
             the suspicion timeout (between 6 and 36 periods at 32 nodes, shorter as more \
             members suspect it independently) node 5 is declared dead. The chart compares \
             the first detection with the analysis (SWIM, Das, Gupta and Motivala 2002, \
             section 3.1: e/(e - 1), about 1.58 periods, for large clusters).",
        ),
        Scenario::Refute => (
            "No node fails, but every message is lost with probability 10 %, so now and then \
             a probe of a healthy node gets no answer and its target is marked [suspect]. The \
             suspect hears of it, raises its [incarnation] and spreads \"alive\", which \
             overrides the suspicion.",
            "A probe asks only 1 helper here ([ping-req]). The chart counts the false \
             suspicions (many) and the false deaths: none in the first 60 periods of this \
             seed.",
        ),
        Scenario::Slow => (
            "Node 3 becomes slow at period 2: it handles everything late but loses nothing, \
             like a node whose CPU is overloaded. It misses the answers to its own probes and \
             so accuses healthy members. [Lifeguard] makes a node that misses answers doubt \
             itself before it accuses others; the dashed lines are the same run with \
             Lifeguard off.",
            "Node 3 handles everything it receives, and its own timers, 16 ticks (two \
             periods) late. It misses the acks of its own probes, even through its 3 helpers; \
             the others, in turn, see it answer late. The same seed and actions also run with \
             Lifeguard off (dashed lines). The chart keeps apart what Lifeguard is about, \
             healthy members wrongly suspected or declared dead, from the slow node itself \
             being declared dead. By period 120 of this seed: healthy members declared dead 0 \
             with Lifeguard against 57 without, healthy members suspected 98 times against \
             3134 (Lifeguard's local health makes the slow node doubt itself before it \
             accuses others). The slow node itself is declared dead more often with \
             Lifeguard, 132 times against 38: it is too late to refute, and Lifeguard's \
             independent confirmations end its suspicion sooner.",
        ),
        Scenario::SwimHeartbeat => (
            "Two ways of learning who is alive, on the same 32 nodes and with 5 % of messages \
             lost; node 5 crashes at period 40. Drawn: SWIM, which probes one member each \
             [period]. Beside it (dashed lines): [heartbeat] gossip as Cassandra does it, \
             where an observer convicts a member whose heartbeat has been silent for too \
             long. SWIM finds the crash sooner and sends fewer bytes.",
            "SWIM runs with Lifeguard and asks 3 helpers when the ack does not come. In \
             heartbeat gossip each node raises its heartbeat counter every period and sends \
             its whole table to one random member, and each observer convicts a member when \
             its phi (how unlikely the silence is, given the gaps it has seen; Hayashibara et \
             al. 2004) exceeds 8. SWIM first suspects node 5 after 2 periods and every live \
             node holds it dead after 10; heartbeat gossip first convicts it after 44 periods \
             and everywhere after 75. Neither declares a live member dead in 120 periods \
             (SWIM suspects some and they refute). Heartbeats cost more bytes: the table \
             grows with the cluster, 21.7 against 97.0 bytes per member per period over the \
             120 periods.",
        ),
        Scenario::JoinLeave => (
            "Node 5 is down from the start: the others find it [suspect], then dead. At \
             period 12 it starts and joins through node 0, and the news that it is alive \
             spreads until every node holds it alive. At period 24 node 9 leaves gracefully: \
             it says so, and every node marks it left (grey) without suspecting it.",
            "Node 5 joins with a push-pull state sync (it and node 0 exchange their whole \
             membership tables), at a higher [incarnation], so its \"alive\" overrides the \
             older news of its death.",
        ),
    };
    CaptionText { plain, more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::membership::chart::totals;
    use crate::labs::membership::run::Run;
    use crate::labs::membership::url;

    /// A caption's plain part and its "More" part, as one text.
    fn whole(s: Scenario) -> String {
        let c = caption(s);
        format!("{} {}", c.plain, c.more)
    }

    #[test]
    fn every_caption_links_glossary_terms_and_keeps_numbers_behind_more() {
        for s in Scenario::ALL {
            let c = caption(s);
            for text in [c.plain, c.more] {
                let errors = crate::shell::caption::markup_errors(text);
                assert!(errors.is_empty(), "{s:?}: {errors:?}");
            }
            if s != Scenario::Custom {
                assert!(c.plain.contains('[') && !c.more.is_empty(), "{s:?}");
                assert!(!c.plain.contains("et al."), "{s:?}: a citation before More");
            }
        }
    }

    #[test]
    fn the_slow_caption_gives_the_numbers_the_page_shows_at_period_120() {
        let (p, _) = url::parse("?lab=membership&s=slow&r=120");
        let run = Run::open(p, Vec::new());
        let (with, without) = (
            totals(&run.timeline.records()[..120]),
            totals(&run.compare_records().unwrap()[..120]),
        );
        let text = whole(Scenario::Slow);
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
        let text = whole(Scenario::SwimHeartbeat);
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
