//! Lesson: epidemic broadcast, and how many rounds "about log N" really is, with the safety
//! margin a system must add, against the kernel's 99th and 99.9th percentiles.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "epidemic",
    title: "Epidemic broadcast: how a rumor reaches everyone",
    lab: Lab::Dissemination,
    steps: &[STORY, FANOUT, MARGIN],
};

/// The first minute: one node knows, every round each tells one other.
const STORY: Step = Step {
    title: "One node knows a rumor",
    look: "One node of {0} knows a [rumor]: it is the filled dot; the others are hollow. Every [round], each node that knows tells one other node picked at random (this is [push] gossip with a [fanout] of {1}). Press Play and watch the news spread; the chart below counts the nodes that know.",
    setup: "?s=epidemic&speed=4",
    predict: Some(Predict {
        question: "How many [round|rounds] until all {0} nodes know?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::Rounds,
    explain: "At first the count about doubles every round, because almost every node told is new; at the end it crawls, because most nodes told already know, so the last few nodes take about as long as the first half.",
    more: "Pittel (1987, \"On spreading a rumor\", SIAM J. Appl. Math. 47): push with fanout one needs log₂ N + ln N + O(1) rounds with high probability. The log₂ N is the doubling; the ln N is the slow end. For N = {0} that is {2} rounds, before the constant.",
    facts: &[Fact::Nodes, Fact::Fanout, Fact::PittelRounds],
};

/// A larger fanout and the folklore estimate log_k N.
const FANOUT: Step = Step {
    title: "More peers per round",
    look: "Now {0} nodes, and each node that knows tells {1} others every [round]. A common rule of thumb says gossip needs about log_k N rounds, here {2}.",
    setup: "?n=1000&k=2&speed=4&band=1",
    predict: Some(Predict {
        question: "How many [round|rounds] will this run take to reach all {0} nodes?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::Rounds,
    explain: "The estimate log_k N counts only the fast middle of the spread; the slow end, where the last nodes are found by chance, adds rounds on top, and the grey band of other seeds shows that the total varies from run to run.",
    more: "log_k N assumes every contact finds a new node. A push that is truly random needs about log_(k+1) N + (ln N)/k rounds (Frieze and Grimmett 1985, Pittel 1987; core/tests/literature.rs measures the gap). The grey band is the 5th to 95th percentile of the kernel's runs of the same model.",
    facts: &[Fact::Nodes, Fact::Fanout, Fact::LogRounds],
};

/// How large a margin over log_k N a system must wait for.
const MARGIN: Step = Step {
    title: "How big a safety margin?",
    look: "A system that gossips must decide when a message has surely reached everyone, so it waits a fixed number of rounds. The seed's rule of thumb: multiply log_k N by {3} or {4}, here {5} or {6} rounds. The lab now runs {7} trials of this cluster with fresh seeds to see how long the slowest runs take.",
    setup: "?n=1000&k=2&speed=4&band=1&seed=2",
    predict: Some(Predict {
        question: "How many [round|rounds] are enough for all but one run in a thousand (the {13}th [percentile])?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::Quantile(999),
    explain: "Of {7} runs, the {12}th percentile needed {8} rounds and the {13}th {9}: margins of {10} and {11} over log_k N = {2}, so multiplying by {3} already covers the slowest runs seen, and {4} only adds waiting.",
    more: "The percentiles are nearest-rank over {7} runs of the core's epidemic kernel (the model the band draws), each seeded from this link's seed. The tail is thin because the slow end is a coupon-collector phase: each extra round divides the chance that some node is still missing by a constant factor (Pittel 1987).",
    facts: &[
        Fact::Nodes,
        Fact::Fanout,
        Fact::LogRounds,
        Fact::Factor(2),
        Fact::Factor(3),
        Fact::Multiple(2),
        Fact::Multiple(3),
        Fact::Trials,
        Fact::RoundsQuantile(990),
        Fact::RoundsQuantile(999),
        Fact::Margin(990),
        Fact::Margin(999),
        Fact::Share(990),
        Fact::Share(999),
    ],
};
