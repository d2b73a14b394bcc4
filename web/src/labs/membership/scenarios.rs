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
             Lifeguard was built for). It misses the acks of its own probes and accuses healthy \
             members, and the others see it answer late. Probes ask 1 helper. The same seed and \
             actions also run with Lifeguard off: the chart shows the false deaths (healthy \
             members declared dead) of both runs. On this seed they are close for the first 50 \
             periods; from period 60 on Lifeguard's grow more slowly (131 against 230 by period \
             120)."
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
