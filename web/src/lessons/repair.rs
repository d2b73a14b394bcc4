//! Lesson: rumor mongering leaves gaps that nothing goes back for, and anti-entropy repair
//! (Merkle trees, a session every few gossip intervals) finishes what the rumors missed, over
//! the dissemination lab's "Partition, then repair" scenario (`?s=repair`).
//!
//! The first step is that scenario with repair off. A link that changes the scenario's repair
//! opens as a custom run and says so, so the step spells the scenario's fields out as a custom
//! link; `lessons::tests` checks that it is the scenario's preset with `ae=` off and nothing
//! else changed.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "repair",
    title: "Anti-entropy finishes what rumors missed",
    lab: Lab::Dissemination,
    steps: &[RUMORS_ALONE, WITH_REPAIR],
};

/// "Partition, then repair" with `ae=` off: the preset's fields and actions, as a custom run.
pub const RUMORS_ALONE_SETUP: &str = "?s=custom&n=48&k=1&m=rumor&loss=0&lat=1&latmax=1&gi=4&stop=feedback-counter&rk=1&seed=1&a=8p0-23~24-47_10w5.left1.L_w31.right1.R_12w10.left2.L_w38.right2.R_14w15.left3.L_w45.right3.R_w1.both.L_w25.both.R_20h&speed=4";

const RUMORS_ALONE: Step = Step {
    title: "Rumors alone",
    look: "{0} nodes spread every write by [rumor mongering]: a node loses interest in a rumor after {1} unnecessary contact. At round {2} a [partition] cuts the cluster in two halves, each half writes keys of its own ({3} writes in all), and the cut heals at round {4}. Repair is off: only rumors carry the writes.",
    setup: RUMORS_ALONE_SETUP,
    predict: Some(Predict {
        question: "When no rumor is left to spread, how many of the {0} nodes still lack at least one newest version?",
        answer: Answer::Number { unit: "nodes" },
    }),
    wait: Wait::Complete,
    measure: Measure::LackingAtEnd,
    explain: "Each write's rumor dies out and leaves a [residue], and a node lacks something as soon as it missed any one of the {3} writes; once every node has lost interest in every rumor, nothing goes back for what was missed.",
    more: "Demers et al. (1987), section 1.5: a complex epidemic such as rumor mongering can fail, with a nonzero chance that the infective sites fall to zero while some sites are still susceptible, a stable state in which an update is known by some sites and not all. A node lacks a key when it does not hold the newest version written (core/src/link/dissemination/lacking.rs), counted against every write, not any one node's view.",
    facts: &[
        Fact::Nodes,
        Fact::RumorK,
        Fact::CutRound,
        Fact::Writes,
        Fact::HealRound,
    ],
};

const WITH_REPAIR: Step = Step {
    title: "Anti-entropy as a backup",
    look: "The same rumors, writes and heal, now with [anti-entropy] repair beside them: every {1} gossip intervals each node reconciles its whole store with one random peer by comparing [Merkle tree|Merkle trees]. The Repair chart counts the nodes lacking at least one newest version.",
    setup: "?s=repair&speed=4",
    predict: Some(Predict {
        question: "How many [round|rounds] after the heal at round {0} until no node lacks anything?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::RoundsAfterHeal,
    explain: "Repair never loses interest: a session compares whole stores, so it finds every gap the rumors left, and the count of nodes lacking falls in steps, one burst of sessions every {1} gossip intervals, until it reaches zero.",
    more: "Demers et al. (1987), section 1.3: anti-entropy is a simple epidemic that eventually delivers every update to every site; section 1.5: run infrequently behind rumor mongering, it backs the complex epidemic up, so that with probability 1 every update eventually reaches (or is superseded at) every site, while the rumors keep the usual case fast and cheap. The Anti-entropy lab (?lab=ae) compares the repair strategies on one pair of nodes, bytes against differences.",
    facts: &[Fact::HealRound, Fact::RepairEvery],
};
