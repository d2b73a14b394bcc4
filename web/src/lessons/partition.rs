//! Lesson: a partition stops the spread at the cut, and anti-entropy repairs it after the heal.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "partition",
    title: "Partitions and healing",
    lab: Lab::Dissemination,
    steps: &[CUT, HEAL],
};

const CUT: Step = Step {
    title: "Cut in two",
    look: "{0} nodes gossip by [push-pull] [anti-entropy]. Soon a [partition] cuts the cluster in two halves, and each half writes its own value under the same key; the newer write counts as informed. The cut heals at round {1}.",
    setup: "?s=partition&speed=2",
    predict: Some(Predict {
        question: "How many of the {0} nodes hold the newer write when the partition heals?",
        answer: Answer::Number { unit: "nodes" },
    }),
    wait: Wait::Healed,
    measure: Measure::InformedAtHeal,
    explain: "A message cannot cross the cut, so the newer write fills its own half and stops there; the other half agrees on the older value.",
    more: "Both writes have the same tick, so last-writer-wins breaks the tie by node id. Anti-entropy compares whole states, so nothing is lost while the halves are apart.",
    facts: &[Fact::Nodes, Fact::HealRound],
};

const HEAL: Step = Step {
    title: "After the heal",
    look: "The cut is gone. Anti-entropy keeps comparing, so the newer value now crosses over.",
    setup: "?s=partition&speed=2",
    predict: Some(Predict {
        question: "How many [round|rounds] after the heal until every node holds the newer write?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::RoundsAfterHeal,
    explain: "With half the nodes already holding the newer value and every contact a push-pull, the repair is quicker than a fresh spread: it starts from its middle, not from one node.",
    more: "Push-pull needs log₃ N + O(log log N) rounds from one node (Karp et al. 2000); starting from half of the nodes, only the end game is left.",
    facts: &[Fact::Nodes],
};
