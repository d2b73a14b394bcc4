//! The one place that defines the lab's terms, and the prose markup that links them: a lesson
//! writes `[round]` (or `[round|rounds]` to show another form), and the page shows the word as
//! an `<abbr>` whose title is the definition, with the whole glossary in the lesson panel's
//! "Terms" list (a title alone is not reachable by keyboard or read by every screen reader).

use yew::prelude::*;

/// Every term, with its definition in plain words.
pub const TERMS: &[(&str, &str)] = &[
    ("round", "One step of the simulation: every node gets one turn to gossip. Time in the lab is counted in rounds."),
    ("tick", "The simulator's smallest unit of time; a round is a few ticks, and a message takes at least one tick to arrive."),
    ("fanout", "How many other nodes a node contacts each time it gossips."),
    ("rumor", "The piece of news being spread: here, one key written at one node."),
    ("push", "Gossip in which a node that knows tells the nodes it contacts."),
    ("pull", "Gossip in which every node asks the nodes it contacts for what they know."),
    ("push-pull", "Push and pull at once: each contact both tells and asks."),
    ("anti-entropy", "Gossip that never stops: nodes keep comparing what they hold, so every difference is eventually repaired."),
    ("rumor mongering", "Gossip that stops: a node spreads a rumor while it is hot and loses interest after a while, which saves messages but may leave some nodes uninformed."),
    ("residue", "The share of nodes that never hear a rumor once everyone has stopped spreading it."),
    ("traffic", "Messages sent that could carry the rumor, counted per node."),
    ("partition", "A cut of the network: nodes on one side cannot reach nodes on the other until it heals."),
    ("percentile", "The value that a given share of the runs stays at or below: the 99th percentile of rounds is exceeded by one run in a hundred."),
    ("incarnation", "A counter a node raises to say \"I am alive\" against a rumor that it is suspect or dead; the higher number wins."),
    ("suspect", "Not answering, and so perhaps crashed: SWIM waits a while before it declares a suspect node dead, to give it a chance to refute."),
    ("period", "SWIM's unit of time: in each period a node probes one other member."),
    ("ping-req", "SWIM's indirect probe: when a member does not answer a ping, the prober asks a few other members to ping it on its behalf and pass the answer back."),
    ("Lifeguard", "HashiCorp's additions to SWIM (2018) that keep a slow node from accusing healthy ones: it trusts its own timeouts less when it misses answers, and suspicions need confirmations from others to end quickly."),
    ("heartbeat", "A counter a node raises at a steady pace and gossips; an observer that stops seeing it rise suspects the node has failed."),
    ("replica", "One copy of the data, held by one node; replicas of the same keys should agree."),
    ("Merkle tree", "A tree of hashes: leaves hash buckets of keys, each inner node hashes its children, so two equal roots mean two equal sets of entries."),
    ("round trip", "A message and its answer: a reconciliation that descends a tree level by level takes one per level."),
    ("digest", "A list of every key with its version but no values: enough to tell which side holds the newer entry."),
    ("rateless", "Set reconciliation by a stream of coded symbols that the receiver peels until it holds the difference: as many symbols as needed, no more."),
];

/// The definition of `term`, if the glossary has it.
pub fn define(term: &str) -> Option<&'static str> {
    TERMS.iter().find(|(t, _)| *t == term).map(|(_, d)| *d)
}

/// The terms `text` links, with the words shown: `[round|rounds]` is ("round", "rounds").
pub fn links(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        out.push(inner.split_once('|').unwrap_or((inner, inner)));
        rest = &rest[open + len + 1..];
    }
    out
}

/// `text` with each `{i}` replaced by `facts[i]`.
pub fn fill(text: &str, facts: &[String]) -> String {
    let mut out = text.to_string();
    for (i, f) in facts.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), f);
    }
    out
}

/// Prose as markup: the facts filled in, each `[term]` an `<abbr>` with its definition.
pub fn prose(text: &str, facts: &[String]) -> Html {
    let text = fill(text, facts);
    let mut parts: Vec<Html> = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        parts.push(html! { { rest[..open].to_string() } });
        let inner = &rest[open + 1..open + len];
        let (term, shown) = inner.split_once('|').unwrap_or((inner, inner));
        let title = define(term).unwrap_or_default();
        parts.push(html! { <abbr class="term" title={title}>{ shown.to_string() }</abbr> });
        rest = &rest[open + len + 1..];
    }
    parts.push(html! { { rest.to_string() } });
    html! { <>{ for parts }</> }
}

/// The glossary list, for the lesson panel.
pub fn list() -> Html {
    let rows = TERMS
        .iter()
        .map(|(t, d)| html! { <><dt>{ *t }</dt><dd>{ *d }</dd></> });
    html! {
        <details id="glossary" class="glossary">
            <summary>{ "Terms" }</summary>
            <dl>{ for rows }</dl>
        </details>
    }
}
