//! A run's actions as short, URL-safe text: the part of a permalink that says what was done.
//!
//! A run is a pure function of its configuration and its actions (see [`crate::sim`]), so a
//! link that holds the parameters, the seed and this text replays the run exactly. The text
//! uses only the URL's unreserved characters (`A-Z a-z 0-9 - . _ ~`), so it needs no
//! percent-encoding anywhere in a URL, and it stays readable:
//!
//! ```text
//! w0.color.red_12c3_r3_20p0-4~5-9_30h_nl0.1t1-3
//! ```
//!
//! reads "write `color = red` at node 0; in round 12 crash node 3 and restart it; in round 20
//! cut nodes 0–4 from 5–9; in round 30 heal, then make every link lose 10 % with a latency of
//! 1 to 3 ticks".
//!
//! # Grammar
//!
//! | rule      | definition                                   | meaning                                              |
//! |-----------|----------------------------------------------|------------------------------------------------------|
//! | script    | `[ action *( "_" action ) ]`                 | the actions in application order; `""` is no action  |
//! | action    | `[ round ] op`                               |                                                      |
//! | round     | `number`                                     | absolute round; omitted = the previous action's (0 for the first) |
//! | op        | `"w" node "." bytes "." bytes`               | [`Action::Write`] `{ node, key, value }`             |
//! |           | `"d" node "." bytes`                         | [`Action::Delete`] `{ node, key }`                   |
//! |           | `"c" node`                                   | [`Action::Crash`]                                    |
//! |           | `"r" node`                                   | [`Action::Restart`]                                  |
//! |           | `"p" groups`                                 | [`Action::Partition`], [`Direction::Both`]           |
//! |           | `"o" groups`                                 | [`Action::Partition`], [`Direction::OneWay`]         |
//! |           | `"h"`                                        | [`Action::Heal`]                                     |
//! |           | `"k" node "." node link`                     | [`Action::SetLink`] `{ from, to, link }`             |
//! |           | `"n" link`                                   | [`Action::SetDefaultLink`]                           |
//! |           | `"s" node "." number`                        | [`Action::Slow`] `{ node, lag_ticks }`, lag at most [`SLOW_LAG_TICKS_MAX`] (0 ends it) |
//! |           | `"q" node`                                   | [`Action::Leave`]                                    |
//! | groups    | `group 1*( "~" group )`                      | 2 to [`GROUPS_MAX`] groups, in order                 |
//! | group     | `[ item *( "." item ) ]`                     | node ids in the order given (may be empty)           |
//! | item      | `node [ "-" node ]`                          | one id, or `a-b` = a, a+1, …, b with a < b            |
//! | link      | `[ "l" prob ] [ "d" prob ] [ "t" number [ "-" number ] ]` | loss, duplicate, latency ticks min-max  |
//! | prob      | `"1" / "0." 1*DIGIT`                         | a probability above 0                                |
//! | bytes     | `*( ALPHA / DIGIT / "-" / "~" HEX HEX )`     | a byte string; `~HH` is the byte 0xHH                |
//! | node      | `number`                                     | a node id below the number of nodes                  |
//! | number    | `"0" / %x31-39 *DIGIT`                       | decimal, no leading zeros                            |
//!
//! `HEX` is an *uppercase* hexadecimal digit. Inside a link, `l`, `d` and `t` name its fields
//! (`d` is the duplicate probability there, not a delete); omitted fields take the defaults of
//! [`LinkConfig::default`] (loss 0, duplicate 0, latency 1 tick). More examples:
//!
//! ```text
//! 5d2.user~2Ename_7o0.2.4~1.3_9k2.7l1d0.25t4
//! ```
//!
//! deletes `user.name` at node 2 in round 5, in round 7 cuts the direction from nodes 0, 2, 4 to
//! nodes 1, 3 (one way), and in round 9 makes the link 2 -> 7 lose everything, duplicate a
//! quarter and take 4 ticks.
//!
//! # Recording
//! Record a session with [`crate::sim::Cluster::schedule`] and encode
//! [`crate::sim::Cluster::scheduled`]; to replay, schedule the decoded list on a cluster of the
//! same configuration. ([`crate::sim::Cluster::history`] lists every applied action, direct or
//! scheduled, in the order it was applied, so mapping each tick to `tick.round(ticks_per_round)`
//! gives a schedule that replays the session when every action was applied at a round start.)
//!
//! # One text per list
//! The text is canonical: every action list has exactly one encoding and the decoder accepts
//! only that one, so equal runs have equal links and `encode(decode(s)) == s` whenever `decode`
//! succeeds (both properties are tested). Concretely:
//! * a round is written exactly when it differs from the previous action's;
//! * a byte is escaped exactly when it is not a letter, a digit or `-`;
//! * in a group, every maximal run of ascending consecutive ids is one item (`3-5`, never
//!   `3.4.5` or `3-4.5`); other orders are kept as given, because the groups are compared as
//!   lists;
//! * a link field is written exactly when it differs from its default, in the order `l d t`,
//!   and a latency range whose ends are equal is written as one number;
//! * a probability is written as the shortest decimal that parses back to the same `f64` (what
//!   Rust's `{}` prints), so every `f64` in `[0, 1]` round-trips bit for bit (`-0` reads back as
//!   `0`, which compares equal). Formatting picks the shortest digit string that reads back
//!   exactly (the nearest one if several tie) and parsing is correctly rounded; both are exact
//!   integer algorithms, so the text is the same on every platform and in every release.
//!
//! # Validation
//! [`decode`] checks everything against [`ScriptLimits`]: the text length, the number of
//! actions, rounds ascending (never decreasing) and at most `rounds_max`, node ids below
//! `nodes`, key and value lengths, partitions well formed (2 to [`GROUPS_MAX`] groups, no node
//! twice, at most `partition_ids_max` ids listed over the whole script so a short text cannot
//! expand into a huge list), and link settings valid for [`crate::net`]. It never panics, and a
//! [`ScriptError`] says at which character and in which action what was wrong. [`encode`] checks
//! the same rules, so what it produces always decodes with the same limits. Whether an action
//! will *succeed* when applied (a crash of a node that is already down) is the simulator's
//! business: a recorded schedule replays its failures too.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use crate::net::{Direction, LinkConfig, GROUPS_MAX, LATENCY_TICKS_LIMIT};
use crate::node::NodeId;
use crate::sim::{Action, ClusterConfig, SLOW_LAG_TICKS_MAX};
use crate::time::Round;

/// Default [`ScriptLimits::text_bytes_max`]: 64 KiB, far below what browsers accept in a URL
/// fragment, and thousands of actions.
pub const TEXT_BYTES_DEFAULT: u32 = 1 << 16;
/// Default [`ScriptLimits::rounds_max`]: longer than any run a person watches.
pub const ROUNDS_DEFAULT: u64 = 1_000_000;
/// Default [`ScriptLimits::partition_ids_max`]: ten partitions of the largest cluster.
pub const PARTITION_IDS_DEFAULT: u32 = 1 << 20;

/// What a script may contain. Every limit bounds the work and memory of [`decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScriptLimits {
    /// Number of nodes of the cluster: every node id must be below it.
    pub nodes: u32,
    /// Longest text, in bytes (= characters, as valid text is ASCII).
    pub text_bytes_max: u32,
    /// Most actions.
    pub actions_max: u32,
    /// Largest round an action may be scheduled for.
    pub rounds_max: u64,
    /// Longest key of a write or delete, in bytes.
    pub key_bytes_max: u32,
    /// Longest value of a write, in bytes.
    pub value_bytes_max: u32,
    /// Most node ids all partitions of the script list together (ranges count every id).
    pub partition_ids_max: u32,
}

impl ScriptLimits {
    /// The limits of a cluster made with `config`: its nodes, its `actions_max` and its store's
    /// key and value limits, with the defaults above for the rest.
    pub fn for_cluster(config: &ClusterConfig) -> ScriptLimits {
        ScriptLimits {
            nodes: config.nodes,
            text_bytes_max: TEXT_BYTES_DEFAULT,
            actions_max: config.actions_max,
            rounds_max: ROUNDS_DEFAULT,
            key_bytes_max: config.node.store.key_bytes_max,
            value_bytes_max: config.node.store.value_bytes_max,
            partition_ids_max: PARTITION_IDS_DEFAULT,
        }
    }
}

/// What was wrong with a script (or with an action list given to [`encode`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorKind {
    /// The text is longer than `text_bytes_max`.
    TextTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: u32,
    },
    /// A character outside `A-Z a-z 0-9 - . _ ~`.
    Character(char),
    /// Something else was expected here.
    Expected {
        /// What the grammar allows here.
        expected: &'static str,
        /// What was found; `None` at the end of the text.
        found: Option<char>,
    },
    /// A number with a leading zero (not canonical).
    LeadingZero,
    /// A number above 2^64 - 1.
    NumberTooLarge,
    /// More actions than `actions_max`.
    TooManyActions {
        /// The limit.
        max: u32,
    },
    /// A round above `rounds_max`.
    RoundTooLarge {
        /// The round.
        round: u64,
        /// The limit.
        max: u64,
    },
    /// A round before the previous action's.
    RoundDecreasing {
        /// The round.
        round: u64,
        /// The previous action's round.
        previous: u64,
    },
    /// A round equal to the previous action's, which must be omitted (not canonical).
    RoundRepeated {
        /// The round.
        round: u64,
    },
    /// A node id at or above the number of nodes.
    NoSuchNode {
        /// The id.
        node: u64,
        /// The number of nodes.
        nodes: u32,
    },
    /// `~` not followed by two uppercase hexadecimal digits.
    BadEscape,
    /// An escaped letter, digit or `-`, which must be written as itself (not canonical).
    NeedlessEscape {
        /// The byte.
        byte: u8,
    },
    /// A key longer than `key_bytes_max`.
    KeyTooLong {
        /// The limit.
        max: u32,
    },
    /// A value longer than `value_bytes_max`.
    ValueTooLong {
        /// The limit.
        max: u32,
    },
    /// A partition with fewer than 2 or more than [`GROUPS_MAX`] groups.
    GroupCount {
        /// Groups found (counting stops one above the limit).
        count: usize,
    },
    /// A node listed twice in one partition.
    NodeInTwoGroups {
        /// The node.
        node: NodeId,
    },
    /// A range `a-b` with `b <= a`.
    RangeNotAscending {
        /// Its start.
        start: u64,
        /// Its end.
        end: u64,
    },
    /// An item that continues the run before it, which must be one range (not canonical).
    RangeNotJoined {
        /// The first id of the item.
        node: NodeId,
    },
    /// The partitions list more than `partition_ids_max` ids together.
    PartitionIdsTooMany {
        /// The limit.
        max: u32,
    },
    /// A probability outside `[0, 1]` or NaN (only from [`encode`]).
    ProbabilityOutOfRange {
        /// The value.
        p: f64,
    },
    /// A probability text that is not the shortest decimal of a value above 0 and at most 1.
    ProbabilityNotCanonical,
    /// A link field written with its default value, which must be omitted (not canonical).
    DefaultWritten {
        /// The field.
        field: &'static str,
    },
    /// A slow node's lag above [`SLOW_LAG_TICKS_MAX`].
    LagTooLarge {
        /// The lag.
        lag_ticks: u64,
    },
    /// A latency range outside `1 <= min <= max <= LATENCY_TICKS_LIMIT`, or written as `a-b`
    /// with `b <= a`.
    Latency {
        /// Its minimum.
        min: u64,
        /// Its maximum.
        max: u64,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ErrorKind::TextTooLong { len, max } => {
                write!(f, "the text is {len} characters long, more than {max}")
            }
            ErrorKind::Character(c) => write!(
                f,
                "{c:?} is not allowed (only A-Z a-z 0-9 - . _ ~)"
            ),
            ErrorKind::Expected { expected, found } => match found {
                Some(c) => write!(f, "expected {expected}, found {c:?}"),
                None => write!(f, "expected {expected}, found the end"),
            },
            ErrorKind::LeadingZero => write!(f, "a number has a leading zero"),
            ErrorKind::NumberTooLarge => write!(f, "a number is too large"),
            ErrorKind::TooManyActions { max } => write!(f, "more than {max} actions"),
            ErrorKind::RoundTooLarge { round, max } => {
                write!(f, "round {round} is after the last allowed round {max}")
            }
            ErrorKind::RoundDecreasing { round, previous } => {
                write!(f, "round {round} comes before the previous action's round {previous}")
            }
            ErrorKind::RoundRepeated { round } => write!(
                f,
                "round {round} is the previous action's round and must be omitted"
            ),
            ErrorKind::NoSuchNode { node, nodes } => {
                write!(f, "node {node} does not exist (there are {nodes} nodes)")
            }
            ErrorKind::BadEscape => write!(f, "`~` must be followed by two uppercase hex digits"),
            ErrorKind::NeedlessEscape { byte } => write!(
                f,
                "{:?} must be written as itself, not escaped",
                char::from(byte)
            ),
            ErrorKind::KeyTooLong { max } => write!(f, "the key is longer than {max} bytes"),
            ErrorKind::ValueTooLong { max } => write!(f, "the value is longer than {max} bytes"),
            ErrorKind::GroupCount { count } => {
                write!(f, "a partition needs 2 to {GROUPS_MAX} groups, got {count}")
            }
            ErrorKind::NodeInTwoGroups { node } => {
                write!(f, "node {node} is listed twice in the partition")
            }
            ErrorKind::RangeNotAscending { start, end } => {
                write!(f, "the range {start}-{end} must end above its start")
            }
            ErrorKind::RangeNotJoined { node } => write!(
                f,
                "node {node} continues the previous run and must be joined to it as one range"
            ),
            ErrorKind::PartitionIdsTooMany { max } => {
                write!(f, "the partitions list more than {max} node ids together")
            }
            ErrorKind::ProbabilityOutOfRange { p } => {
                write!(f, "probability {p} is not between 0 and 1")
            }
            ErrorKind::ProbabilityNotCanonical => write!(
                f,
                "a probability must be 1 or the shortest decimal 0.x of a value above 0"
            ),
            ErrorKind::DefaultWritten { field } => {
                write!(f, "{field} has its default value and must be omitted")
            }
            ErrorKind::LagTooLarge { lag_ticks } => write!(
                f,
                "a lag of {lag_ticks} ticks is more than the limit of {SLOW_LAG_TICKS_MAX}"
            ),
            ErrorKind::Latency { min, max } => write!(
                f,
                "latency {min}-{max} must satisfy 1 <= min <= max <= {LATENCY_TICKS_LIMIT}, written as one number when equal"
            ),
        }
    }
}

/// A script that [`decode`] rejected: where, and what was wrong. Nothing is returned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScriptError {
    /// Offset of the offending character, 0-based (bytes = characters: every character before
    /// it is ASCII); the text's length if the text ended too early.
    pub offset: usize,
    /// Index of the action being read, 0-based.
    pub action: usize,
    /// What was wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at character {} (action {}): {}",
            self.offset, self.action, self.kind
        )
    }
}

/// An action list that [`encode`] cannot write, because [`decode`] would reject the text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EncodeError {
    /// Index of the offending action, 0-based (`actions_max` for too many actions).
    pub action: usize,
    /// What was wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {}: {}", self.action, self.kind)
    }
}

/// Whether `c` may appear in a script (the URL's unreserved characters, RFC 3986 2.3).
pub fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

// Bytes written as themselves inside `bytes`.
fn is_literal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

// ----- encoding ----------------------------------------------------------------------------

/// The text of `actions` (rounds and actions in application order, as
/// [`crate::sim::Cluster::scheduled`] returns them). Fails, naming the action, if the list
/// breaks a rule of the module docs or a limit, so the text always decodes with `limits`.
pub fn encode(actions: &[(Round, Action)], limits: &ScriptLimits) -> Result<String, EncodeError> {
    if actions.len() > limits.actions_max as usize {
        return Err(EncodeError {
            action: limits.actions_max as usize,
            kind: ErrorKind::TooManyActions {
                max: limits.actions_max,
            },
        });
    }
    let mut out = String::new();
    let mut previous = 0u64;
    let mut partition_ids = 0u64;
    for (i, (round, action)) in actions.iter().enumerate() {
        let err = |kind| EncodeError { action: i, kind };
        if i > 0 {
            out.push('_');
        }
        let round = round.0;
        if round > limits.rounds_max {
            return Err(err(ErrorKind::RoundTooLarge {
                round,
                max: limits.rounds_max,
            }));
        }
        if round < previous {
            return Err(err(ErrorKind::RoundDecreasing { round, previous }));
        }
        if round != previous {
            push_number(&mut out, round);
            previous = round;
        }
        encode_action(&mut out, action, limits, &mut partition_ids).map_err(err)?;
        if out.len() > limits.text_bytes_max as usize {
            return Err(err(ErrorKind::TextTooLong {
                len: out.len(),
                max: limits.text_bytes_max,
            }));
        }
    }
    Ok(out)
}

fn encode_action(
    out: &mut String,
    action: &Action,
    limits: &ScriptLimits,
    partition_ids: &mut u64,
) -> Result<(), ErrorKind> {
    match action {
        Action::Write { node, key, value } => {
            out.push('w');
            push_node(out, *node, limits)?;
            out.push('.');
            push_bytes(
                out,
                key,
                limits.key_bytes_max,
                ErrorKind::KeyTooLong {
                    max: limits.key_bytes_max,
                },
            )?;
            out.push('.');
            push_bytes(
                out,
                value,
                limits.value_bytes_max,
                ErrorKind::ValueTooLong {
                    max: limits.value_bytes_max,
                },
            )?;
        }
        Action::Delete { node, key } => {
            out.push('d');
            push_node(out, *node, limits)?;
            out.push('.');
            push_bytes(
                out,
                key,
                limits.key_bytes_max,
                ErrorKind::KeyTooLong {
                    max: limits.key_bytes_max,
                },
            )?;
        }
        Action::Crash(n) => {
            out.push('c');
            push_node(out, *n, limits)?;
        }
        Action::Restart(n) => {
            out.push('r');
            push_node(out, *n, limits)?;
        }
        Action::Partition { groups, direction } => {
            check_partition(groups, limits, partition_ids)?;
            out.push(match direction {
                Direction::Both => 'p',
                Direction::OneWay => 'o',
            });
            for (g, group) in groups.iter().enumerate() {
                if g > 0 {
                    out.push('~');
                }
                push_group(out, group);
            }
        }
        Action::Heal => out.push('h'),
        Action::SetLink { from, to, link } => {
            out.push('k');
            push_node(out, *from, limits)?;
            out.push('.');
            push_node(out, *to, limits)?;
            push_link(out, link)?;
        }
        Action::SetDefaultLink(link) => {
            out.push('n');
            push_link(out, link)?;
        }
        Action::Slow { node, lag_ticks } => {
            if *lag_ticks > SLOW_LAG_TICKS_MAX {
                return Err(ErrorKind::LagTooLarge {
                    lag_ticks: (*lag_ticks).into(),
                });
            }
            out.push('s');
            push_node(out, *node, limits)?;
            out.push('.');
            push_number(out, (*lag_ticks).into());
        }
        Action::Leave(n) => {
            out.push('q');
            push_node(out, *n, limits)?;
        }
    }
    Ok(())
}

fn push_number(out: &mut String, x: u64) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{x}");
}

fn push_node(out: &mut String, node: NodeId, limits: &ScriptLimits) -> Result<(), ErrorKind> {
    if node >= limits.nodes {
        return Err(ErrorKind::NoSuchNode {
            node: node.into(),
            nodes: limits.nodes,
        });
    }
    push_number(out, node.into());
    Ok(())
}

fn push_bytes(
    out: &mut String,
    bytes: &[u8],
    max: u32,
    too_long: ErrorKind,
) -> Result<(), ErrorKind> {
    if bytes.len() > max as usize {
        return Err(too_long);
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if is_literal(b) {
            out.push(char::from(b));
        } else {
            out.push('~');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    Ok(())
}

// Maximal runs of ascending consecutive ids become `a-b`.
fn push_group(out: &mut String, group: &[NodeId]) {
    let mut i = 0;
    while i < group.len() {
        let start = group[i];
        let mut j = i;
        while j + 1 < group.len() && group[j].checked_add(1) == Some(group[j + 1]) {
            j += 1;
        }
        if i > 0 {
            out.push('.');
        }
        push_number(out, start.into());
        if j > i {
            out.push('-');
            push_number(out, group[j].into());
        }
        i = j + 1;
    }
}

fn check_partition(
    groups: &[Vec<NodeId>],
    limits: &ScriptLimits,
    partition_ids: &mut u64,
) -> Result<(), ErrorKind> {
    if !(2..=GROUPS_MAX).contains(&groups.len()) {
        return Err(ErrorKind::GroupCount {
            count: groups.len(),
        });
    }
    let mut all: Vec<NodeId> = Vec::new();
    for &n in groups.iter().flatten() {
        if n >= limits.nodes {
            return Err(ErrorKind::NoSuchNode {
                node: n.into(),
                nodes: limits.nodes,
            });
        }
        *partition_ids += 1;
        if *partition_ids > u64::from(limits.partition_ids_max) {
            return Err(ErrorKind::PartitionIdsTooMany {
                max: limits.partition_ids_max,
            });
        }
        all.push(n);
    }
    first_duplicate(&mut all).map_or(Ok(()), |node| Err(ErrorKind::NodeInTwoGroups { node }))
}

fn first_duplicate(ids: &mut [NodeId]) -> Option<NodeId> {
    ids.sort_unstable();
    ids.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

fn push_link(out: &mut String, link: &LinkConfig) -> Result<(), ErrorKind> {
    let LinkConfig {
        loss,
        duplicate,
        latency_ticks_min: min,
        latency_ticks_max: max,
    } = *link;
    for (tag, p) in [('l', loss), ('d', duplicate)] {
        if !(0.0..=1.0).contains(&p) {
            return Err(ErrorKind::ProbabilityOutOfRange { p });
        }
        // -0.0 == 0.0: both are the default and omitted.
        if p != 0.0 {
            out.push(tag);
            if p == 1.0 {
                out.push('1');
            } else {
                // The shortest decimal that parses back to `p`; for 0 < p < 1 it is "0.ddd".
                let _ = write!(out, "{p}");
            }
        }
    }
    if min == 0 || min > max || max > LATENCY_TICKS_LIMIT {
        return Err(ErrorKind::Latency {
            min: min.into(),
            max: max.into(),
        });
    }
    if (min, max) != (1, 1) {
        out.push('t');
        push_number(out, min.into());
        if max != min {
            out.push('-');
            push_number(out, max.into());
        }
    }
    Ok(())
}

// ----- decoding ----------------------------------------------------------------------------

/// The actions of `text`, checked against `limits` (see the module docs). Never panics.
pub fn decode(text: &str, limits: &ScriptLimits) -> Result<Vec<(Round, Action)>, ScriptError> {
    let s = text.as_bytes();
    if s.len() > limits.text_bytes_max as usize {
        return Err(ScriptError {
            offset: limits.text_bytes_max as usize,
            action: 0,
            kind: ErrorKind::TextTooLong {
                len: s.len(),
                max: limits.text_bytes_max,
            },
        });
    }
    // Every character before the first bad one is ASCII, so its byte offset is its character
    // offset, and the parser below only ever sees ASCII.
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !is_unreserved(c)) {
        return Err(ScriptError {
            offset,
            action: s[..offset].iter().filter(|&&b| b == b'_').count(),
            kind: ErrorKind::Character(c),
        });
    }
    let mut p = Parser {
        s,
        pos: 0,
        action: 0,
        limits,
        partition_ids: 0,
    };
    let mut out = Vec::new();
    if s.is_empty() {
        return Ok(out);
    }
    let mut previous = 0u64;
    loop {
        if out.len() >= limits.actions_max as usize {
            return Err(p.err(ErrorKind::TooManyActions {
                max: limits.actions_max,
            }));
        }
        let start = p.pos;
        if p.peek().is_some_and(|b| b.is_ascii_digit()) {
            let round = p.number("a round")?;
            let kind = if round > limits.rounds_max {
                Some(ErrorKind::RoundTooLarge {
                    round,
                    max: limits.rounds_max,
                })
            } else if round < previous {
                Some(ErrorKind::RoundDecreasing { round, previous })
            } else if round == previous {
                Some(ErrorKind::RoundRepeated { round })
            } else {
                None
            };
            if let Some(kind) = kind {
                return Err(p.err_at(start, kind));
            }
            previous = round;
        }
        let action = p.action()?;
        out.push((Round(previous), action));
        match p.peek() {
            None => return Ok(out),
            Some(b'_') => {
                p.pos += 1;
                p.action += 1;
            }
            found => return Err(p.expected("`_` before the next action, or the end", found)),
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    action: usize,
    limits: &'a ScriptLimits,
    partition_ids: u64,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn err_at(&self, offset: usize, kind: ErrorKind) -> ScriptError {
        ScriptError {
            offset,
            action: self.action,
            kind,
        }
    }

    fn err(&self, kind: ErrorKind) -> ScriptError {
        self.err_at(self.pos, kind)
    }

    fn expected(&self, expected: &'static str, found: Option<u8>) -> ScriptError {
        self.err(ErrorKind::Expected {
            expected,
            found: found.map(char::from),
        })
    }

    fn expect(&mut self, b: u8, expected: &'static str) -> Result<(), ScriptError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.expected(expected, self.peek()))
        }
    }

    fn number(&mut self, what: &'static str) -> Result<u64, ScriptError> {
        let start = self.pos;
        let mut x: u64 = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            if self.pos > start && x == 0 {
                return Err(self.err_at(start, ErrorKind::LeadingZero));
            }
            x = x
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(b - b'0')))
                .ok_or_else(|| self.err_at(start, ErrorKind::NumberTooLarge))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.expected(what, self.peek()));
        }
        Ok(x)
    }

    fn node(&mut self) -> Result<NodeId, ScriptError> {
        let start = self.pos;
        let n = self.number("a node id")?;
        let nodes = self.limits.nodes;
        if n >= u64::from(nodes) {
            return Err(self.err_at(start, ErrorKind::NoSuchNode { node: n, nodes }));
        }
        // Below `nodes`, a u32.
        Ok(n as NodeId)
    }

    fn bytes(&mut self, max: u32, too_long: ErrorKind) -> Result<Vec<u8>, ScriptError> {
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            let b = match self.peek() {
                Some(b) if is_literal(b) => {
                    self.pos += 1;
                    b
                }
                Some(b'~') => {
                    let hex = |b: Option<&u8>| match b {
                        Some(&b @ b'0'..=b'9') => Some(b - b'0'),
                        Some(&b @ b'A'..=b'F') => Some(b - b'A' + 10),
                        _ => None,
                    };
                    let (Some(hi), Some(lo)) =
                        (hex(self.s.get(start + 1)), hex(self.s.get(start + 2)))
                    else {
                        return Err(self.err_at(start, ErrorKind::BadEscape));
                    };
                    let b = (hi << 4) | lo;
                    if is_literal(b) {
                        return Err(self.err_at(start, ErrorKind::NeedlessEscape { byte: b }));
                    }
                    self.pos += 3;
                    b
                }
                _ => return Ok(out),
            };
            if out.len() >= max as usize {
                return Err(self.err_at(start, too_long));
            }
            out.push(b);
        }
    }

    fn action(&mut self) -> Result<Action, ScriptError> {
        let limits = self.limits;
        let op = self.peek();
        if op.is_some() {
            self.pos += 1;
        }
        let key_too_long = ErrorKind::KeyTooLong {
            max: limits.key_bytes_max,
        };
        Ok(match op {
            Some(b'w') => {
                let node = self.node()?;
                self.expect(b'.', "`.` before the key")?;
                let key = self.bytes(limits.key_bytes_max, key_too_long)?;
                self.expect(b'.', "`.` before the value")?;
                let value = self.bytes(
                    limits.value_bytes_max,
                    ErrorKind::ValueTooLong {
                        max: limits.value_bytes_max,
                    },
                )?;
                Action::Write { node, key, value }
            }
            Some(b'd') => {
                let node = self.node()?;
                self.expect(b'.', "`.` before the key")?;
                let key = self.bytes(limits.key_bytes_max, key_too_long)?;
                Action::Delete { node, key }
            }
            Some(b'c') => Action::Crash(self.node()?),
            Some(b'r') => Action::Restart(self.node()?),
            Some(b'p') => Action::Partition {
                groups: self.groups()?,
                direction: Direction::Both,
            },
            Some(b'o') => Action::Partition {
                groups: self.groups()?,
                direction: Direction::OneWay,
            },
            Some(b'h') => Action::Heal,
            Some(b'k') => {
                let from = self.node()?;
                self.expect(b'.', "`.` between the two nodes of a link")?;
                let to = self.node()?;
                Action::SetLink {
                    from,
                    to,
                    link: self.link()?,
                }
            }
            Some(b'n') => Action::SetDefaultLink(self.link()?),
            Some(b's') => {
                let node = self.node()?;
                self.expect(b'.', "`.` before the lag")?;
                let start = self.pos;
                let lag_ticks = self.number("a lag in ticks")?;
                if lag_ticks > u64::from(SLOW_LAG_TICKS_MAX) {
                    return Err(self.err_at(start, ErrorKind::LagTooLarge { lag_ticks }));
                }
                // At most SLOW_LAG_TICKS_MAX, a u32.
                Action::Slow {
                    node,
                    lag_ticks: lag_ticks as u32,
                }
            }
            Some(b'q') => Action::Leave(self.node()?),
            found => {
                if found.is_some() {
                    self.pos -= 1;
                }
                return Err(self.expected("an action (one of w d c r p o h k n s q)", found));
            }
        })
    }

    fn groups(&mut self) -> Result<Vec<Vec<NodeId>>, ScriptError> {
        let start = self.pos;
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        loop {
            let mut group = Vec::new();
            let mut previous_end: Option<NodeId> = None;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                let at = self.pos;
                let a = self.node()?;
                let b = if self.eat(b'-') {
                    let end_at = self.pos;
                    let b = self.node()?;
                    if b <= a {
                        return Err(self.err_at(
                            end_at,
                            ErrorKind::RangeNotAscending {
                                start: a.into(),
                                end: b.into(),
                            },
                        ));
                    }
                    b
                } else {
                    a
                };
                if previous_end.and_then(|e| e.checked_add(1)) == Some(a) {
                    return Err(self.err_at(at, ErrorKind::RangeNotJoined { node: a }));
                }
                self.partition_ids += u64::from(b - a) + 1;
                if self.partition_ids > u64::from(self.limits.partition_ids_max) {
                    return Err(self.err_at(
                        at,
                        ErrorKind::PartitionIdsTooMany {
                            max: self.limits.partition_ids_max,
                        },
                    ));
                }
                group.extend(a..=b);
                previous_end = Some(b);
                if !self.eat(b'.') {
                    break;
                }
                if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.expected("a node id after `.`", self.peek()));
                }
            }
            groups.push(group);
            if !self.eat(b'~') {
                break;
            }
            if groups.len() >= GROUPS_MAX {
                return Err(self.err_at(
                    start,
                    ErrorKind::GroupCount {
                        count: GROUPS_MAX + 1,
                    },
                ));
            }
        }
        if groups.len() < 2 {
            return Err(self.err_at(
                start,
                ErrorKind::GroupCount {
                    count: groups.len(),
                },
            ));
        }
        let mut all: Vec<NodeId> = groups.iter().flatten().copied().collect();
        if let Some(node) = first_duplicate(&mut all) {
            return Err(self.err_at(start, ErrorKind::NodeInTwoGroups { node }));
        }
        Ok(groups)
    }

    fn link(&mut self) -> Result<LinkConfig, ScriptError> {
        let mut link = LinkConfig::default();
        if self.eat(b'l') {
            link.loss = self.probability()?;
        }
        if self.eat(b'd') {
            link.duplicate = self.probability()?;
        }
        if self.eat(b't') {
            let start = self.pos;
            let min = self.number("a latency in ticks")?;
            let (max, written_max) = if self.eat(b'-') {
                (self.number("a latency in ticks")?, true)
            } else {
                (min, false)
            };
            let limit = u64::from(LATENCY_TICKS_LIMIT);
            if min == 0 || min > max || max > limit || written_max && max == min {
                return Err(self.err_at(start, ErrorKind::Latency { min, max }));
            }
            if (min, max) == (1, 1) {
                return Err(self.err_at(start, ErrorKind::DefaultWritten { field: "latency" }));
            }
            // Both at most LATENCY_TICKS_LIMIT, u32.
            link.latency_ticks_min = min as u32;
            link.latency_ticks_max = max as u32;
        }
        Ok(link)
    }

    fn probability(&mut self) -> Result<f64, ScriptError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit() || b == b'.') {
            self.pos += 1;
        }
        // ASCII by the alphabet check.
        let text = core::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        if text.is_empty() {
            return Err(self.expected("a probability (1 or 0.ddd)", self.peek()));
        }
        if text == "1" {
            return Ok(1.0);
        }
        let bad = || self.err_at(start, ErrorKind::ProbabilityNotCanonical);
        let digits = text.strip_prefix("0.").ok_or_else(bad)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let p: f64 = text.parse().map_err(|_| bad())?;
        if p == 0.0 && digits.bytes().all(|b| b == b'0') {
            return Err(self.err_at(
                start,
                ErrorKind::DefaultWritten {
                    field: "a probability 0",
                },
            ));
        }
        if !(p > 0.0 && p < 1.0) {
            return Err(bad());
        }
        // Canonical: exactly the shortest decimal Rust prints for `p`.
        let mut shortest = String::new();
        let _ = write!(shortest, "{p}");
        if shortest != text {
            return Err(bad());
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn limits(nodes: u32) -> ScriptLimits {
        ScriptLimits::for_cluster(&ClusterConfig::new(nodes, 0))
    }

    fn link(loss: f64, duplicate: f64, min: u32, max: u32) -> LinkConfig {
        LinkConfig {
            loss,
            duplicate,
            latency_ticks_min: min,
            latency_ticks_max: max,
        }
    }

    fn example() -> Vec<(Round, Action)> {
        vec![
            (
                Round(0),
                Action::Write {
                    node: 0,
                    key: b"color".to_vec(),
                    value: b"red".to_vec(),
                },
            ),
            (Round(12), Action::Crash(3)),
            (Round(12), Action::Restart(3)),
            (
                Round(20),
                Action::Partition {
                    groups: vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9]],
                    direction: Direction::Both,
                },
            ),
            (Round(30), Action::Heal),
            (Round(30), Action::SetDefaultLink(link(0.1, 0.0, 1, 3))),
            (
                Round(40),
                Action::SetLink {
                    from: 2,
                    to: 7,
                    link: link(1.0, 0.25, 4, 4),
                },
            ),
            (
                Round(41),
                Action::Delete {
                    node: 5,
                    key: b"user.name".to_vec(),
                },
            ),
            (
                Round(42),
                Action::Partition {
                    groups: vec![vec![0, 2, 4], vec![], vec![9, 1, 3]],
                    direction: Direction::OneWay,
                },
            ),
            (
                Round(1000),
                Action::Write {
                    node: 9,
                    key: b"a-b_c~d".to_vec(),
                    value: vec![0, 255, b' ', b'Z'],
                },
            ),
        ]
    }

    const EXAMPLE: &str = "w0.color.red_12c3_r3_20p0-4~5-9_30h_nl0.1t1-3_40k2.7l1d0.25t4\
                           _41d5.user~2Ename_42o0.2.4~~9.1.3_1000w9.a-b~5Fc~7Ed.~00~FF~20Z";

    #[test]
    fn a_slow_episode_has_its_own_frozen_text_and_checked_lag() {
        let l = limits(10);
        let slow = vec![
            (
                Round(3),
                Action::Slow {
                    node: 4,
                    lag_ticks: 12,
                },
            ),
            (
                Round(9),
                Action::Slow {
                    node: 4,
                    lag_ticks: 0,
                },
            ),
        ];
        assert_eq!(encode(&slow, &l).unwrap(), "3s4.12_9s4.0");
        assert_eq!(decode("3s4.12_9s4.0", &l).unwrap(), slow);
        let max = SLOW_LAG_TICKS_MAX;
        let at_max = [(
            Round(0),
            Action::Slow {
                node: 0,
                lag_ticks: max,
            },
        )];
        assert_eq!(decode(&encode(&at_max, &l).unwrap(), &l).unwrap(), at_max);
        let too_slow = alloc::format!("s1.{}", max + 1);
        let lag_ticks = u64::from(max) + 1;
        assert_eq!(
            err(&too_slow, 10),
            (3, 0, ErrorKind::LagTooLarge { lag_ticks })
        );
        let over = [(
            Round(0),
            Action::Slow {
                node: 0,
                lag_ticks: max + 1,
            },
        )];
        assert_eq!(
            encode(&over, &l).unwrap_err().kind,
            ErrorKind::LagTooLarge { lag_ticks }
        );
        assert_eq!(
            err("s10.1", 10).2,
            ErrorKind::NoSuchNode {
                node: 10,
                nodes: 10
            }
        );
        assert_eq!(err("s1.01", 10), (3, 0, ErrorKind::LeadingZero));
        let expected = |found| ErrorKind::Expected {
            expected: "`.` before the lag",
            found,
        };
        assert_eq!(err("s1", 10), (2, 0, expected(None)));
        assert_eq!(err("s1_h", 10), (2, 0, expected(Some('_'))));
    }

    #[test]
    fn a_leave_is_q_and_its_node() {
        let l = limits(10);
        let actions = vec![(Round(3), Action::Leave(4))];
        let text = encode(&actions, &l).unwrap();
        assert_eq!(text, "3q4");
        assert_eq!(decode(&text, &l).unwrap(), actions);
    }

    #[test]
    fn the_text_of_every_action_is_frozen() {
        // These strings are in shared links: they must never change.
        let l = limits(10);
        assert_eq!(encode(&example(), &l).unwrap(), EXAMPLE);
        assert_eq!(decode(EXAMPLE, &l).unwrap(), example());
        assert_eq!(encode(&[], &l).unwrap(), "");
        assert_eq!(decode("", &l).unwrap(), vec![]);
        let tiny = vec![(Round(0), Action::SetDefaultLink(link(1e-7, 0.0, 1, 1)))];
        assert_eq!(encode(&tiny, &l).unwrap(), "nl0.0000001");
        // The examples of the module docs say what they say.
        let docs = vec![
            (
                Round(5),
                Action::Delete {
                    node: 2,
                    key: b"user.name".to_vec(),
                },
            ),
            (
                Round(7),
                Action::Partition {
                    groups: vec![vec![0, 2, 4], vec![1, 3]],
                    direction: Direction::OneWay,
                },
            ),
            (
                Round(9),
                Action::SetLink {
                    from: 2,
                    to: 7,
                    link: link(1.0, 0.25, 4, 4),
                },
            ),
        ];
        assert_eq!(
            encode(&docs, &l).unwrap(),
            "5d2.user~2Ename_7o0.2.4~1.3_9k2.7l1d0.25t4"
        );
        assert!(EXAMPLE.starts_with("w0.color.red_12c3_r3_20p0-4~5-9_30h_nl0.1t1-3_"));
        let nothing = vec![(Round(7), Action::SetDefaultLink(LinkConfig::default()))];
        assert_eq!(encode(&nothing, &l).unwrap(), "7n");
    }

    #[test]
    fn probabilities_round_trip_bit_for_bit() {
        let l = limits(2);
        for p in [
            0.1,
            0.1 + 0.2,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            5e-324,
            1.0 - f64::EPSILON / 2.0,
            0.5,
        ] {
            let a = vec![(Round(0), Action::SetDefaultLink(link(p, p, 1, 1)))];
            let text = encode(&a, &l).unwrap();
            let Action::SetDefaultLink(back) = &decode(&text, &l).unwrap()[0].1 else {
                panic!("{text}")
            };
            assert_eq!(back.loss.to_bits(), p.to_bits(), "{text}");
            assert_eq!(back.duplicate.to_bits(), p.to_bits(), "{text}");
        }
    }

    fn err(text: &str, nodes: u32) -> (usize, usize, ErrorKind) {
        let e = decode(text, &limits(nodes)).unwrap_err();
        (e.offset, e.action, e.kind)
    }

    #[test]
    fn errors_say_where_and_what() {
        use ErrorKind::*;
        assert_eq!(err("c1_c2+", 4), (5, 1, Character('+')));
        assert_eq!(err("c1_cé", 4), (4, 1, Character('é')));
        assert_eq!(err("c1_c9", 4), (4, 1, NoSuchNode { node: 9, nodes: 4 }));
        assert_eq!(err("c01", 4), (1, 0, LeadingZero));
        assert_eq!(
            err("5c1_3c2", 4),
            (
                4,
                1,
                RoundDecreasing {
                    round: 3,
                    previous: 5
                }
            )
        );
        assert_eq!(err("5c1_5c2", 4), (4, 1, RoundRepeated { round: 5 }));
        assert_eq!(err("0c1", 4), (0, 0, RoundRepeated { round: 0 }));
        assert_eq!(
            err("2000000c1", 4),
            (
                0,
                0,
                RoundTooLarge {
                    round: 2_000_000,
                    max: ROUNDS_DEFAULT
                }
            )
        );
        assert_eq!(err("99999999999999999999c1", 4), (0, 0, NumberTooLarge));
        assert_eq!(
            err("c1_", 4),
            (
                3,
                1,
                Expected {
                    expected: "an action (one of w d c r p o h k n s q)",
                    found: None
                }
            )
        );
        assert_eq!(
            err("x", 4),
            (
                0,
                0,
                Expected {
                    expected: "an action (one of w d c r p o h k n s q)",
                    found: Some('x')
                }
            )
        );
        assert_eq!(
            err("c1c2", 4),
            (
                2,
                0,
                Expected {
                    expected: "`_` before the next action, or the end",
                    found: Some('c')
                }
            )
        );
        assert_eq!(err("w1.k~2e.v", 4), (4, 0, BadEscape));
        assert_eq!(err("w1.k~4.v", 4), (4, 0, BadEscape));
        assert_eq!(err("w1.k~41.v", 4), (4, 0, NeedlessEscape { byte: b'A' }));
        assert_eq!(err("p0-3", 4), (1, 0, GroupCount { count: 1 }));
        assert_eq!(err("p0-2~2", 4), (1, 0, NodeInTwoGroups { node: 2 }));
        assert_eq!(
            err("p2-1~3", 4),
            (3, 0, RangeNotAscending { start: 2, end: 1 })
        );
        assert_eq!(err("p0.1~3", 4), (3, 0, RangeNotJoined { node: 1 }));
        assert_eq!(
            err("p0.~3", 4),
            (
                3,
                0,
                Expected {
                    expected: "a node id after `.`",
                    found: Some('~')
                }
            )
        );
        assert_eq!(err("nl0.10", 4), (2, 0, ProbabilityNotCanonical));
        assert_eq!(err("nl1.0", 4), (2, 0, ProbabilityNotCanonical));
        assert_eq!(
            err("nl0.0", 4),
            (
                2,
                0,
                DefaultWritten {
                    field: "a probability 0"
                }
            )
        );
        assert_eq!(
            err("nl0.99999999999999999999", 4),
            (2, 0, ProbabilityNotCanonical)
        );
        assert_eq!(err("nt1", 4), (2, 0, DefaultWritten { field: "latency" }));
        assert_eq!(err("nt3-3", 4), (2, 0, Latency { min: 3, max: 3 }));
        assert_eq!(err("nt0", 4), (2, 0, Latency { min: 0, max: 0 }));
        assert_eq!(err("nt1-257", 4), (2, 0, Latency { min: 1, max: 257 }));
        assert_eq!(
            err("nt2l0.5", 4),
            (
                3,
                0,
                Expected {
                    expected: "`_` before the next action, or the end",
                    found: Some('l')
                }
            )
        );
        let e = decode("c1_c9", &limits(4)).unwrap_err();
        assert_eq!(
            alloc::format!("{e}"),
            "at character 4 (action 1): node 9 does not exist (there are 4 nodes)"
        );
    }

    #[test]
    fn limits_are_enforced_before_work_is_done() {
        let mut l = limits(100);
        l.text_bytes_max = 8;
        assert_eq!(
            decode("c1_c2_c3_c4", &l).unwrap_err().kind,
            ErrorKind::TextTooLong { len: 11, max: 8 }
        );
        let mut l = limits(100);
        l.actions_max = 2;
        assert_eq!(
            decode("c1_c2_c3", &l).unwrap_err(),
            ScriptError {
                offset: 6,
                action: 2,
                kind: ErrorKind::TooManyActions { max: 2 }
            }
        );
        let mut l = limits(100);
        l.partition_ids_max = 150;
        assert_eq!(
            decode("p0-49~50-99_1p0-49~50-99", &l).unwrap_err(),
            ScriptError {
                offset: 19,
                action: 1,
                kind: ErrorKind::PartitionIdsTooMany { max: 150 }
            }
        );
        let mut l = limits(100);
        l.key_bytes_max = 2;
        l.value_bytes_max = 1;
        assert_eq!(
            decode("w1.abc.v", &l).unwrap_err(),
            ScriptError {
                offset: 5,
                action: 0,
                kind: ErrorKind::KeyTooLong { max: 2 }
            }
        );
        assert_eq!(
            decode("w1.ab.~20~20", &l).unwrap_err(),
            ScriptError {
                offset: 9,
                action: 0,
                kind: ErrorKind::ValueTooLong { max: 1 }
            }
        );
        let groups = |n: usize| Action::Partition {
            groups: (0..n as u32).map(|i| vec![i]).collect(),
            direction: Direction::Both,
        };
        assert!(encode(&[(Round(0), groups(GROUPS_MAX))], &l).is_ok());
        let text = encode(&[(Round(0), groups(GROUPS_MAX))], &l).unwrap() + "~99";
        assert_eq!(
            decode(&text, &l).unwrap_err().kind,
            ErrorKind::GroupCount {
                count: GROUPS_MAX + 1
            }
        );
    }

    #[test]
    fn encode_refuses_what_decode_would_refuse() {
        let l = limits(4);
        let e = |a: Vec<(Round, Action)>| encode(&a, &l).unwrap_err();
        assert_eq!(
            e(vec![(Round(3), Action::Heal), (Round(2), Action::Heal)]),
            EncodeError {
                action: 1,
                kind: ErrorKind::RoundDecreasing {
                    round: 2,
                    previous: 3
                }
            }
        );
        assert_eq!(
            e(vec![(Round(0), Action::Crash(4))]).kind,
            ErrorKind::NoSuchNode { node: 4, nodes: 4 }
        );
        assert!(matches!(
            e(vec![(
                Round(0),
                Action::SetDefaultLink(link(f64::NAN, 0.0, 1, 1))
            )])
            .kind,
            ErrorKind::ProbabilityOutOfRange { .. }
        ));
        assert_eq!(
            e(vec![(
                Round(0),
                Action::SetDefaultLink(link(0.0, 0.0, 2, 1))
            )])
            .kind,
            ErrorKind::Latency { min: 2, max: 1 }
        );
        let split = |groups: Vec<Vec<NodeId>>| Action::Partition {
            groups,
            direction: Direction::Both,
        };
        assert_eq!(
            e(vec![(Round(0), split(vec![vec![0, 1], vec![1]]))]).kind,
            ErrorKind::NodeInTwoGroups { node: 1 }
        );
        assert_eq!(
            e(vec![(Round(0), split(vec![vec![0, 1]]))]).kind,
            ErrorKind::GroupCount { count: 1 }
        );
    }
}
