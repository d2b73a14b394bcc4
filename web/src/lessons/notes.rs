//! Teacher notes, one set per lesson and per challenge: a one-line summary for the catalogue,
//! what to notice, what to try, and the misconceptions to expect (the way NetLogo's "model
//! info" tab and PhET's teacher tips do it).
//!
//! How it is driven: the shell shows [`panel`] beside a lesson or a challenge when the link
//! has `notes=1` (`shell::teacher`), and the catalogue page (`lessons::catalogue`) puts every
//! set behind a disclosure. The prose is written as the lessons' is (`lessons::format`): a
//! number is never typed, it is a `{i}` standing for the note's `i`th [`Fact`], computed from
//! the run its link names by [`facts::values`]; `[term]` links the glossary. The tests below
//! hold every note to that, and check the claims the notes make against the theory module.

use yew::prelude::*;

use super::facts::{self, Fact};
use super::glossary::prose;

/// The notes of one lesson or challenge.
#[derive(Debug, PartialEq)]
pub struct Notes {
    /// The lesson's key (`lesson=`) or the challenge's id (`ch=`).
    pub key: &'static str,
    /// One line for the catalogue.
    pub summary: &'static str,
    /// What to notice.
    pub notice: &'static str,
    /// What to try with the class.
    pub try_this: &'static str,
    /// The misconceptions to expect, each with what answers it.
    pub misconceptions: &'static [&'static str],
    /// The numbers the prose states, `{0}` first: each fact of the run its link names.
    pub facts: &'static [(&'static str, Fact)],
}

impl Notes {
    /// Every text of the notes, for the checks.
    pub fn texts(&self) -> Vec<&'static str> {
        let mut v = vec![self.summary, self.notice, self.try_this];
        v.extend_from_slice(self.misconceptions);
        v
    }

    /// The facts' values as prose writes them.
    pub fn fact_texts(&self) -> Vec<String> {
        self.facts
            .iter()
            .map(|&(setup, f)| facts::text(f, facts::values(&[f], setup)[0]))
            .collect()
    }
}

/// Every lesson's notes, in the order of `lessons::LESSONS`.
pub const LESSON_NOTES: &[Notes] = &[EPIDEMIC, MODES, RUMOR, PARTITION, REPAIR, SWIM];
/// Every challenge's notes, in the order of `gossip_core::challenge::CHALLENGES`.
pub const CHALLENGE_NOTES: &[Notes] = &[MISS10, FANOUT99, APART20];

/// The notes of the lesson or challenge named `key`.
pub fn find(key: &str) -> Option<&'static Notes> {
    LESSON_NOTES
        .iter()
        .chain(CHALLENGE_NOTES)
        .find(|n| n.key == key)
}

const EPIDEMIC: Notes = Notes {
    key: "epidemic",
    summary: "One node knows a rumor; how many rounds until all do, and how long a system must wait to be sure.",
    notice: "The count of informed nodes draws an S: a slow start, near doubling in the middle, and a long slow end where the last nodes are found only by chance. On {0} nodes Pittel's estimate is about {1} [round|rounds]; the slow end is a real part of that, not noise.",
    try_this: "Ask for a prediction before every Play and write the class's guesses up. Change the seed a few times and compare the finishing rounds; then raise the [fanout] and watch the middle steepen. The link keeps each student's predictions (Link to your progress).",
    misconceptions: &[
        "\"It doubles every round, so it takes log N rounds.\" The doubling holds only while almost every node told is new; the slow end adds about ln N rounds more.",
        "\"Waiting log_k N rounds is safe.\" On {2} nodes with fanout {3} that is {4} rounds, and most runs take longer; the lesson's last step measures the margin a system needs.",
        "\"A run that finished late is a bug.\" The finishing round varies from seed to seed; the grey band shows the spread of many runs of the same model.",
    ],
    facts: &[
        ("?s=epidemic", Fact::Nodes),
        ("?s=epidemic", Fact::PittelRounds),
        ("?n=1000&k=2", Fact::Nodes),
        ("?n=1000&k=2", Fact::Fanout),
        ("?n=1000&k=2", Fact::LogRounds),
    ],
};

const MODES: Notes = Notes {
    key: "modes",
    summary: "Push, pull and push-pull on the same cluster and seed: which is fast at the start, which at the end.",
    notice: "[push|Push] is fast while few nodes know; [pull] is fast when few do not, because the share still uninformed squares every round once most nodes can answer. [push-pull|Push-pull] gets both ends. On {0} nodes push alone needs about {1} rounds.",
    try_this: "Run the three modes on the same seed and compare the messages as well as the rounds: pull sends a request from every node every round, even while nobody can answer. Then add loss and ask which mode suffers most.",
    misconceptions: &[
        "\"Pull is slow because it is passive.\" It is slow only at the start, when almost nobody can answer; at the end it is the faster one.",
        "\"Fewer rounds means fewer messages.\" Push-pull finishes first but every contact carries both ways; the chart counts requests as messages.",
        "\"The mode that wins once always wins.\" With another seed the order of close runs can change; compare the band of trials, not one run.",
    ],
    facts: &[
        ("?s=modes&m=push", Fact::Nodes),
        ("?s=modes&m=push", Fact::PittelRounds),
    ],
};

const RUMOR: Notes = Notes {
    key: "rumor",
    summary: "Gossip that stops by itself: how many nodes it leaves out, and what stopping saves.",
    notice: "A node spreads the rumor while it is hot and loses interest after {1} useless contacts in a row, so the run ends by itself with some of the {0} nodes never told (the [residue]) and far less [traffic] than [anti-entropy], which never stops.",
    try_this: "Raise k one step at a time and record residue and traffic for each on the board: each step costs more messages and leaves fewer nodes out, but never none. Then open the scenario \"Partition, then repair\" to show how systems fill the gaps.",
    misconceptions: &[
        "\"A larger k guarantees everyone hears.\" The residue shrinks with k but is never zero.",
        "\"The residue depends on the cluster size.\" It depends mostly on the traffic: Demers et al. found it close to e to the minus the traffic per node, whatever the size.",
        "\"Rumor mongering is unreliable, so nobody uses it.\" Real systems pair it with anti-entropy, which repairs what the rumors missed.",
    ],
    facts: &[("?s=rumor", Fact::Nodes), ("?s=rumor", Fact::RumorK)],
};

const PARTITION: Notes = Notes {
    key: "partition",
    summary: "A partition cuts the cluster in two; each half writes its own value; what happens when it heals.",
    notice: "While cut, each half agrees with itself, and the count of nodes holding the newer write stalls at one half of the {0}. The cut heals at round {1}, and [anti-entropy] carries the newer value across within a few rounds.",
    try_this: "Ask which value will win before the heal, and why. Then step back before the heal and cut or heal at other rounds yourself, and compare how long the newer value takes to cross.",
    misconceptions: &[
        "\"During a partition the nodes are broken.\" Both halves keep working and accept writes; they only disagree.",
        "\"After the heal the older value may win.\" Last writer wins by the write's time (the node id breaks a tie), so the writes decide the outcome, not who gossips first.",
        "\"Healing makes the cluster consistent at once.\" The newer value still needs rounds of gossip to reach every node.",
    ],
    facts: &[
        ("?s=partition", Fact::Nodes),
        ("?s=partition", Fact::HealRound),
    ],
};

const REPAIR: Notes = Notes {
    key: "repair",
    summary: "Rumor mongering leaves gaps after a partition; anti-entropy repair finds and fills every one.",
    notice: "With rumors alone the run ends with nodes that lack some of the {1} writes for good: every rumor stops, and nothing goes back. With Merkle [anti-entropy] on, the Repair chart's count of nodes lacking falls in steps, one burst of sessions every {2} gossip intervals, and reaches zero; the bytes it sends come in the same bursts.",
    try_this: "Ask before each run whether any node will be left lacking, and how the class would find out. Then try the other repair strategies (full state, digests, rateless) on the same run and compare the bytes per round; the Anti-entropy lab shows why the order changes with the number of differences.",
    misconceptions: &[
        "\"Healing the partition repairs the data.\" The heal only lets messages through; a rumor that already died out stays dead, and only a comparison of stores finds what it missed.",
        "\"Anti-entropy makes rumors unnecessary.\" Repair runs rarely and compares whole stores; the rumors do the fast, cheap work and repair only backs them up.",
        "\"Merkle trees always send the fewest bytes.\" A tree pays for its levels of hashes; with few keys in the stores, simpler strategies can send less.",
    ],
    facts: &[
        ("?s=repair", Fact::Nodes),
        ("?s=repair", Fact::Writes),
        ("?s=repair", Fact::RepairEvery),
    ],
};

const SWIM: Notes = Notes {
    key: "swim",
    summary: "Nobody is told of a crash: how SWIM's probes find it, and why suspicion comes before death.",
    notice: "Node {1} crashes at period {2} and nobody is told: the rest of the {0}-node cluster finds out by probing. With uniform probing the first detection takes about {3} [period|periods] on average, and about the same on any cluster size; being declared dead takes longer, because a [suspect] gets time to refute.",
    try_this: "Add loss and watch false suspicions appear; then turn [Lifeguard]'s parts off one by one and compare. The scenario \"A slow node\" shows why a node should doubt itself before it accuses others.",
    misconceptions: &[
        "\"Detecting a crash needs heartbeats to everyone.\" SWIM sends one probe per node per period, however large the cluster.",
        "\"A suspected node is dead.\" Suspicion is a question: a live node answers it by raising its [incarnation].",
        "\"Detection slows down as the cluster grows.\" The expected first detection stays near {3} periods.",
    ],
    facts: &[
        ("?lab=membership&s=detect", Fact::MembershipNodes),
        ("?lab=membership&s=detect", Fact::CrashedNode),
        ("?lab=membership&s=detect", Fact::CrashRound),
        ("?lab=membership&s=detect", Fact::UniformFirstDetection),
    ],
};

const MISS10: Notes = Notes {
    key: "miss10",
    summary: "With a few actions, make rumor mongering miss one node in ten.",
    notice: "The base run is [rumor mongering] on {0} nodes with k = {1}, and it already misses a few nodes on its own. The plans that work act early, while few nodes know: a cut then keeps the rumor on one side, where it dies out.",
    try_this: "Ask for the plan in words before any click: when to cut, which nodes, whether to heal. Compare a cut in the first rounds with one after the middle of the spread, and let students send their proof links to the grading page.",
    misconceptions: &[
        "\"A later cut does more harm.\" By the middle of the spread most nodes already know; the cut must come before.",
        "\"Crashed nodes count as missed.\" The goal counts only the nodes that are up when the rumor dies out.",
    ],
    facts: &[("?s=rumor&seed=7", Fact::Nodes), ("?s=rumor&seed=7", Fact::RumorK)],
};

const FANOUT99: Notes = Notes {
    key: "fanout99",
    summary: "The smallest fanout that informs almost all of a large cluster in a few rounds, on seeds the student never sees.",
    notice: "Fanout one is far too slow: [push] on {0} nodes needs about {1} rounds to reach every node (Pittel's estimate), far more than the challenge allows. The check replays the chosen fanout on fresh seeds, so a lucky seed does not pass, and only the smallest fanout that passes counts.",
    try_this: "Have students try fanouts one at a time and press Check on fresh seeds. Then compare with log_k N, which is {2} rounds for fanout {3}: discuss why the rule of thumb and the check need not agree.",
    misconceptions: &[
        "\"One good run proves it.\" The check replays seeds the student never saw.",
        "\"More fanout is always better.\" Every extra peer is traffic in every round; the challenge asks for the smallest that passes.",
        "\"Almost all within the rounds means all within the rounds.\" The last nodes take longest; the goal asks for a share, not everyone.",
    ],
    facts: &[
        ("?n=1000&k=1&m=push", Fact::Nodes),
        ("?n=1000&k=1&m=push", Fact::PittelRounds),
        ("?n=1000&k=2&m=push", Fact::LogRounds),
        ("?n=1000&k=2&m=push", Fact::Fanout),
    ],
};

const APART20: Notes = Notes {
    key: "apart20",
    summary: "Cut the cluster into two large sides, keep them apart, then heal in time for the rumor to reach everyone.",
    notice: "The run is [push-pull] [anti-entropy] on {0} nodes: once healed, it spreads fast, so the heal can come late. The two sides must each hold a large share of the nodes, so cutting off a handful does not count.",
    try_this: "Ask students to work out the latest round they can heal at before they try it, from how fast the cluster spreads without a cut; then check the plan by replaying it, and send the proof link to the grading page.",
    misconceptions: &[
        "\"Any cut keeps the halves apart.\" A cut that isolates a few nodes is not two sides; the goal sets a share for each.",
        "\"Healing at the last moment is safe.\" After the heal the rumor still needs rounds to cross; heal too late and the deadline passes first.",
    ],
    facts: &[("?s=partition", Fact::Nodes)],
};

/// The notes as a panel's content: what to notice, what to try, the misconceptions.
pub fn body(n: &Notes) -> Html {
    let f = n.fact_texts();
    html! { <>
        <h3>{ "What to notice" }</h3>
        <p class="notes-notice">{ prose(n.notice, &f) }</p>
        <h3>{ "What to try" }</h3>
        <p class="notes-try">{ prose(n.try_this, &f) }</p>
        <h3>{ "Misconceptions to expect" }</h3>
        <ul class="notes-misconceptions">
            { for n.misconceptions.iter().map(|m| html! { <li>{ prose(m, &f) }</li> }) }
        </ul>
    </> }
}

/// The teacher notes panel (`notes=1`) of the lesson or challenge named `key`, or a line that
/// says the link names neither.
pub fn panel(key: Option<&str>) -> Html {
    let content = match key.and_then(find) {
        Some(n) => body(n),
        None => html! {
            <p>{ "This link opens no lesson or challenge, so there are no notes for it. The " }<a href="?catalogue=1">{ "catalogue" }</a>{ " lists them all." }</p>
        },
    };
    html! {
        <aside id="teacher-notes" class="teacher-notes" aria-labelledby="teacher-notes-title">
            <h2 id="teacher-notes-title">{ "Teacher notes" }</h2>
            { content }
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{glossary, LESSONS};
    use crate::shell::caption::markup_errors;
    use gossip_core::challenge::CHALLENGES;
    use gossip_core::theory;

    fn all() -> impl Iterator<Item = &'static Notes> {
        LESSON_NOTES.iter().chain(CHALLENGE_NOTES)
    }

    #[test]
    fn every_lesson_and_every_challenge_has_notes_in_catalogue_order() {
        let lessons: Vec<&str> = LESSONS.iter().map(|l| l.key).collect();
        let notes: Vec<&str> = LESSON_NOTES.iter().map(|n| n.key).collect();
        assert_eq!(notes, lessons);
        let challenges: Vec<&str> = CHALLENGES.iter().map(|c| c.id).collect();
        let notes: Vec<&str> = CHALLENGE_NOTES.iter().map(|n| n.key).collect();
        assert_eq!(notes, challenges);
        for n in all() {
            assert!(!n.misconceptions.is_empty(), "{}", n.key);
        }
    }

    #[test]
    fn no_note_types_a_number_it_states() {
        for n in all() {
            for text in n.texts() {
                let bare = (0..n.facts.len())
                    .fold(text.to_string(), |t, f| t.replace(&format!("{{{f}}}"), ""));
                assert!(
                    !bare.chars().any(|c| c.is_ascii_digit()),
                    "{}: a number typed by hand in {text:?}",
                    n.key
                );
                let filled = glossary::fill(text, &vec!["x".to_string(); n.facts.len()]);
                assert!(
                    !filled.contains('{'),
                    "{}: {text:?} names a missing fact",
                    n.key
                );
                assert!(
                    markup_errors(text).is_empty(),
                    "{}: {:?}",
                    n.key,
                    markup_errors(text)
                );
            }
        }
    }

    #[test]
    fn every_fact_a_note_states_is_computed_from_a_link_that_reads_cleanly() {
        for n in all() {
            for &(setup, f) in n.facts {
                let v = facts::values(&[f], setup)[0];
                assert!(
                    v.is_finite() && v > 0.0,
                    "{}: {f:?} of {setup} is {v}",
                    n.key
                );
                assert!(
                    !facts::needs_sweep(f),
                    "{}: a note computes no sweep",
                    n.key
                );
                let lab = crate::labs::Lab::from_query(setup);
                let notices = match lab {
                    crate::labs::Lab::Membership => crate::labs::membership::url::parse(setup).1,
                    _ => crate::labs::dissemination::url::parse(setup).1,
                };
                assert!(notices.is_empty(), "{}: {setup}: {notices:?}", n.key);
            }
        }
    }

    #[test]
    fn the_challenge_notes_describe_the_challenges_base_runs() {
        use crate::labs::dissemination::url;
        let base = |id: &str| (gossip_core::challenge::find(id).unwrap().base)();
        let nodes = |setup: &str| url::parse(setup).0.run.nodes;
        assert_eq!(nodes(MISS10.facts[0].0), base("miss10").nodes);
        assert_eq!(
            url::parse(MISS10.facts[1].0).0.run.rumor_k,
            base("miss10").rumor_k
        );
        assert_eq!(nodes(FANOUT99.facts[0].0), base("fanout99").nodes);
        assert_eq!(nodes(APART20.facts[0].0), base("apart20").nodes);
    }

    #[test]
    fn fanout_one_is_too_slow_for_fanout99_as_its_note_says() {
        // The note's claim: Pittel's log2 N + ln N for push with fanout one is past the
        // challenge's round limit.
        let c = gossip_core::challenge::find("fanout99").unwrap();
        let gossip_core::challenge::goal::Goal::InformWithin { rounds, .. } = c.goal else {
            panic!("fanout99 is an inform-within goal");
        };
        assert!(theory::pittel_push_rounds(1000.0) > f64::from(rounds) + 5.0);
    }

    #[test]
    fn swims_first_detection_is_about_the_same_on_any_cluster_size_as_its_note_says() {
        // 1/p(N) with p(N) = 1 - (1 - 1/(N-1))^(N-1) rises from 1.5 toward e/(e-1) = 1.582.
        let limit = core::f64::consts::E / (core::f64::consts::E - 1.0);
        for n in [10_u64, 50, 200, 1_000, 10_000] {
            let m = theory::swim::uniform_first_detection_mean(n);
            assert!((m - limit).abs() < 0.06, "N = {n}: {m}");
        }
    }
}
