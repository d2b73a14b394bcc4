//! Lesson: failure detection with SWIM, on the membership lab: a crash is found by probing,
//! suspected first, and declared dead only after a suspicion timeout.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "swim",
    title: "Failure detection with SWIM",
    lab: Lab::Membership,
    steps: &[NOTICED, DEAD],
};

const NOTICED: Step = Step {
    title: "Who notices a crash?",
    look: "{0} nodes each keep a list of who is alive. Every [period], each node pings one member and waits for an ack. Node {1} crashes at the start of period {2}, and nobody is told: watch its row in the matrix.",
    setup: "?lab=membership&s=detect&speed=2",
    predict: Some(Predict {
        question: "How many [period|periods] after the crash until some node first marks node {1} [suspect]?",
        answer: Answer::Number { unit: "periods" },
    }),
    wait: Wait::Event,
    measure: Measure::SuspectAfter,
    explain: "A crash is found by probing, not announced: it is noticed in the first period in which some node's ping lands on the crashed node and no one can get an ack from it, and since every node probes every period that comes soon.",
    more: "SWIM (Das, Gupta and Motivala 2002), section 3.1: with uniform random probing a crashed member is first probed after 1/(1 - (1 - 1/(N-1))^(N-1)) periods on average, here {3}, tending to e/(e - 1). This lab probes in randomized round-robin order, which also bounds the wait (section 4.3).",
    facts: &[
        Fact::MembershipNodes,
        Fact::CrashedNode,
        Fact::CrashRound,
        Fact::UniformFirstDetection,
    ],
};

const DEAD: Step = Step {
    title: "From suspect to dead",
    look: "A [suspect] node is not dropped at once: it gets time to answer that it is alive by raising its [incarnation]. Only when the suspicion times out is it declared dead, and that news spreads by gossip.",
    setup: "?lab=membership&s=detect&speed=2",
    predict: Some(Predict {
        question: "How many [period|periods] after the crash until every live node holds node {0} dead?",
        answer: Answer::Number { unit: "periods" },
    }),
    wait: Wait::Event,
    measure: Measure::DeadEverywhereAfter,
    explain: "Most of the wait is the suspicion timeout, which grows with the logarithm of the cluster's size so that a node that is merely slow has time to refute; once one node declares the death, it spreads to every member within a few periods, as a rumor does.",
    more: "SWIM section 4.2 (the suspicion mechanism and incarnation numbers) and Lifeguard (Dadgar, Phillips and Currey 2018), whose dynamic suspicion timeout starts at α·log₁₀ N periods and shrinks as other members confirm the suspicion.",
    facts: &[Fact::CrashedNode],
};
