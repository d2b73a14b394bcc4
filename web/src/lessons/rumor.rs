//! Lesson: rumor mongering stops by itself, and pays for it with a residue; Demers' law
//! s = e^-m between the residue and the traffic.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "rumor",
    title: "Rumor mongering: residue and traffic",
    lab: Lab::Dissemination,
    steps: &[RESIDUE, TRAFFIC, LONGER],
};

const RESIDUE: Step = Step {
    title: "Gossip that stops",
    look: "[anti-entropy] never stops. [rumor mongering] does: a node pushes the rumor while it is hot, and loses interest after it has told {1} nodes in a row that already knew. On {0} nodes, watch the count of informed nodes stall before it reaches everyone.",
    setup: "?s=rumor&speed=8",
    predict: Some(Predict {
        question: "When no node spreads the rumor any more, what share of the {0} nodes never heard it (the [residue])?",
        answer: Answer::Number { unit: "%" },
    }),
    wait: Wait::Complete,
    measure: Measure::ResiduePercent,
    explain: "Stopping early saves messages but leaves some nodes out: over {2} runs of this rule the mean residue is {3}.",
    more: "Demers et al. (1987), section 1.4, Table 1: push with feedback and a counter. The mean is over {2} runs of the core's Demers kernel, which reproduces their table (core/tests/literature.rs).",
    facts: &[Fact::Nodes, Fact::RumorK, Fact::Trials, Fact::RumorResidue],
};

const TRAFFIC: Step = Step {
    title: "What stopping saves",
    look: "The same run: now look at the messages. [traffic] counts the messages that could carry the rumor, per node.",
    setup: "?s=rumor&speed=8",
    predict: Some(Predict {
        question: "How many rumor-carrying messages per node did the run send?",
        answer: Answer::Number { unit: "messages per node" },
    }),
    wait: Wait::Complete,
    measure: Measure::TrafficPerNode,
    explain: "Residue and traffic are tied: over {0} runs the mean traffic is {1} messages per node, and e to the minus that is {2}, close to the mean residue of {3}.",
    more: "Demers et al. (1987), section 1.4: for push rumor mongering the residue s and the traffic m obey s = e^(-m) whatever the rule of losing interest, because each of the m·N messages misses a given node with probability about 1 - 1/N.",
    facts: &[Fact::Trials, Fact::RumorTraffic, Fact::ExpMinusTraffic, Fact::RumorResidue],
};

const LONGER: Step = Step {
    title: "Losing interest later",
    look: "Now a node loses interest only after {1} useless contacts in a row. It sends more, so fewer nodes should be left out.",
    setup: "?s=rumor&rk=4&speed=8",
    predict: Some(Predict {
        question: "What share of the {0} nodes is left out now?",
        answer: Answer::Number { unit: "%" },
    }),
    wait: Wait::Complete,
    measure: Measure::ResiduePercent,
    explain: "More traffic buys a smaller residue, exponentially: the mean traffic grows to {2} messages per node and the mean residue falls to {3}.",
    more: "Demers et al. (1987), Table 1. The residue law s = e^(-m) predicts {4} from that traffic.",
    facts: &[
        Fact::Nodes,
        Fact::RumorK,
        Fact::RumorTraffic,
        Fact::RumorResidue,
        Fact::ExpMinusTraffic,
    ],
};
