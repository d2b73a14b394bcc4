//! Lesson: push against pull against push-pull on the same cluster and seed.

use super::facts::Fact;
use super::format::{Answer, Lesson, Predict, Step, Wait};
use super::measure::Measure;
use crate::labs::Lab;

/// The lesson.
pub const LESSON: Lesson = Lesson {
    key: "modes",
    title: "Push, pull, or both?",
    lab: Lab::Dissemination,
    steps: &[PUSH, PULL, BOTH],
};

const PUSH: Step = Step {
    title: "Push",
    look: "{0} nodes, one knows. In [push], each node that knows tells one random node every [round]; the nodes that do not know do nothing.",
    setup: "?s=modes&m=push&speed=8",
    predict: Some(Predict {
        question: "How many [round|rounds] until all {0} nodes know?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::Rounds,
    explain: "Push is fast while few nodes know and slow at the end: the last uninformed nodes wait to be picked by chance.",
    more: "Pittel (1987): push needs log₂ N + ln N + O(1) rounds; for N = {0}, {1} rounds before the constant.",
    facts: &[Fact::Nodes, Fact::PittelRounds],
};

const PULL: Step = Step {
    title: "Pull",
    look: "The same cluster and seed in [pull]: every node asks one random node each [round], and learns the rumor if that node knows it.",
    setup: "?s=modes&m=pull&speed=8",
    predict: Some(Predict {
        question: "How many [round|rounds] does pull take for the same {0} nodes?",
        answer: Answer::Number { unit: "rounds" },
    }),
    wait: Wait::Complete,
    measure: Measure::Rounds,
    explain: "Pull starts slowly, since an uninformed node must happen to ask the one node that knows, but it ends fast: every uninformed node asks every round, so the share still uninformed is squared each round.",
    more: "Demers et al. (1987, \"Epidemic algorithms for replicated database maintenance\", section 1.3): with pull, the uninformed share p becomes p² each round, against p·e^(-1) for push, which is why pull wins the end game.",
    facts: &[Fact::Nodes],
};

const BOTH: Step = Step {
    title: "Push-pull",
    look: "Now [push-pull]: each contact both tells and asks. It has push's fast start and pull's fast finish.",
    setup: "?s=modes&speed=8",
    predict: Some(Predict {
        question: "With this seed, which exchange informs all {0} nodes first?",
        answer: Answer::Choice(&["push", "pull", "push-pull"]),
    }),
    wait: Wait::Complete,
    measure: Measure::FastestExchange,
    explain: "Push-pull takes the best of both halves of the spread, so it needs the fewest rounds, at the price of a request and a reply per contact.",
    more: "Karp, Schindelhauer, Shenker and Vöcking (2000, \"Randomized rumor spreading\"): push-pull informs everyone in log₃ N + O(log log N) rounds. The check replays this link's run with each exchange and the same seed.",
    facts: &[Fact::Nodes],
};
