//! The lab's words: the caption in plain words first, the formulas behind "more" (terms marked
//! for the glossary, [`crate::lessons::glossary`]), and what each turn's message is.

use gossip_core::link::anti_entropy::StrategyKind;
use gossip_core::reconcile::trace::Turn;
use gossip_core::reconcile::Role;

/// What anti-entropy is and why trees, in plain words.
pub const CAPTION: &str = "Two [replica|replicas] of the same data drift apart when one misses \
    writes (a [partition], a crash, lost messages). [anti-entropy|Anti-entropy] repairs them: \
    the two compare what they hold and each takes what the other has newer. Sending everything \
    works but costs bytes for every key. A [Merkle tree] sends only hashes: each replica hashes \
    its keys into leaves and each inner node hashes its children, so equal roots mean equal \
    data. Where the roots differ the two descend, level by level, only into the subtrees that \
    differ, and finally exchange the entries of the differing leaves. Step through the repair \
    to watch the descent on both trees; the table repairs the same pair by each strategy, and \
    the chart shows how the bytes grow with the number of differences.";

/// The formulas and sources, behind "more".
pub const MORE: &str = "With n keys, d differences, branching b and depth L, a node at level l \
    differs with probability 1 − (1 − b^−l)^d, so the expected hashes are \
    1 + b·Σ_{l<L} b^l·(1 − (1 − b^−l)^d): about b·d·log_b(n/d), one [round trip] per level \
    (gossip_core::theory::merkle, the chart's dashed line is 32 bytes per expected hash). A \
    version [digest] sends key and version for all n keys and full state sends every entry: \
    O(n) bytes whatever d. [rateless|Rateless] set reconciliation (Yang, Gilad and Alizadeh, \
    SIGCOMM 2024) streams coded symbols until the receiver peels the difference: about 1.35 \
    symbols per difference, O(d) bytes, no descent. Binary and deep trees (Cassandra) send \
    few hashes per level but take many round trips; wide and shallow ones (Riak: 1,024 wide) \
    take few round trips but send b hashes for every differing node.";

/// A strategy's name on the page.
pub fn title(s: StrategyKind) -> &'static str {
    match s {
        StrategyKind::Merkle => "Merkle tree",
        StrategyKind::Digest => "Version digest",
        StrategyKind::Full => "Full state",
        StrategyKind::Rateless => "Rateless (coded symbols)",
    }
}

/// The side's letter.
pub fn side(r: Role) -> &'static str {
    match r {
        Role::Initiator => "A",
        Role::Responder => "B",
    }
}

/// What turn `k` did, in a sentence.
pub fn turn_words(k: u32, t: &Turn) -> String {
    let (me, other) = match t.side {
        Role::Initiator => ("A", "B"),
        Role::Responder => ("B", "A"),
    };
    let took = if t.merged.is_empty() {
        String::new()
    } else {
        format!("{me} merges {} newer entries; ", t.merged.len())
    };
    let what = match (t.label, &t.named) {
        ("", _) => format!("{me} is finished"),
        ("root", _) => format!("{me} sends its root hash to {other}"),
        ("nodes", Some(n)) if n.indices.is_empty() => {
            format!("{me} finds its hashes equal to {other}'s: nothing differs")
        }
        ("nodes", Some(n)) => format!(
            "{me} names {} differing node(s) at level {} and sends its hashes of their children",
            n.indices.len(),
            n.level
        ),
        ("nodes", None) => format!("{me} finds no difference left"),
        ("buckets", Some(n)) => format!(
            "{me} sends the keys and versions of {} differing leaf bucket(s)",
            n.indices.len()
        ),
        ("answer", _) => {
            format!("{me} answers with the entries {other} lacks and asks for the ones it lacks")
        }
        ("entries", _) => format!("{me} sends the entries asked for"),
        _ => format!("{me} sends a message to {other}"),
    };
    let bytes = if t.sent_bytes > 0 {
        format!(" ({} bytes)", t.sent_bytes)
    } else {
        String::new()
    };
    format!("Turn {k}: {took}{what}{bytes}.")
}
