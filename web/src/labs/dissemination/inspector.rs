//! The inspector: the clicked node's store (keys, values, versions, when it learned each, its
//! rumor state), its counters, and what can be done to it (crash, restart, write:
//! `Session::inspector`).

use gossip_core::node::RumorState;
use gossip_core::sim::Action;
use gossip_core::store::Entry;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::model::{Engine, NodeState};
use super::params::KEY_BYTES_MAX;
use super::session::Session;
use super::url;

/// The inspector's write form: the key and value fields.
pub struct WriteForm {
    /// The key field.
    pub key: String,
    /// The value field.
    pub value: String,
}

impl WriteForm {
    /// A form writing `key`, starting at value 2 (node 0 wrote 1).
    pub fn new(key: &str) -> WriteForm {
        WriteForm {
            key: key.to_string(),
            value: "2".to_string(),
        }
    }

    /// The key field changed (nothing to render: the field shows it).
    pub fn set_key(&mut self, key: String) -> bool {
        self.key = key;
        false
    }

    /// The value field changed.
    pub fn set_value(&mut self, value: String) -> bool {
        self.value = value;
        false
    }
}

impl WriteForm {
    /// The write of the form's value under its key at node `i`, and what it says; or why the
    /// fields cannot be written.
    pub fn action(&self, i: u32) -> Result<(Action, String), String> {
        let (key, value) = (&self.key, &self.value);
        if !url::valid_key(key) || !url::valid_key(value) {
            return Err(format!(
                "Write at node {i}: the key and the value must each be 1 to {KEY_BYTES_MAX} letters, digits, '-', '.', '_' or '~'."
            ));
        }
        Ok((
            Action::Write {
                node: i,
                key: key.as_bytes().to_vec(),
                value: value.as_bytes().to_vec(),
            },
            format!("Node {i} wrote {key} = {value}"),
        ))
    }

    /// The form's write was recorded: a numeric value counts up.
    pub fn written(&mut self) {
        if let Ok(v) = self.value.parse::<u64>() {
            self.value = (v + 1).to_string();
        }
    }
}

impl Session {
    /// What the inspector (or its shortcuts) asks for: crash, restart, write
    /// ([`WriteForm::action`]), or a field changed.
    pub(super) fn inspector(&mut self, cmd: InspectorCmd) -> bool {
        match cmd {
            InspectorCmd::Key(k) => return self.form.set_key(k),
            InspectorCmd::Value(v) => return self.form.set_value(v),
            InspectorCmd::Kill(i) => {
                self.act(Action::Crash(i), format!("Crashed node {i}"));
            }
            InspectorCmd::Revive(i) => {
                self.act(Action::Restart(i), format!("Restarted node {i}, empty"));
            }
            InspectorCmd::Write(i) => match self.form.action(i) {
                Ok((action, what)) => {
                    if self.act(action, what) {
                        self.form.written();
                    }
                }
                Err(why) => self.run.notices.push(why),
            },
        }
        true
    }
}

/// What the inspector shows of a node: text only, read from the engine by [`inspect`].
#[derive(Clone, Debug, PartialEq)]
pub struct NodeReport {
    /// The node.
    pub node: u32,
    /// Whether it is down (then nothing but the head is shown).
    pub down: bool,
    /// The first line: what it holds of the tracked key.
    pub head: String,
    /// Its store, one row per key.
    pub rows: Vec<StoreRow>,
    /// Its counters.
    pub counters: String,
    /// The round its actions would happen at.
    pub round: u32,
    /// With repair on, how many newest versions it lacks and which ([`lacking_line`]).
    pub lacking: Option<String>,
}

/// One key of a node's store, as the inspector's table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreRow {
    /// The key.
    pub key: String,
    /// Its value, or "(deleted)".
    pub value: String,
    /// The version: its writer and round.
    pub version: String,
    /// How the node got it.
    pub here: String,
    /// Its rumor state.
    pub rumor: String,
}

/// Node `i` of `e` as the inspector shows it.
pub fn inspect(e: &Engine, i: u32) -> NodeReport {
    let c = e.cluster();
    let tpr = c.config().ticks_per_round;
    let round_of = |t: gossip_core::time::Tick| t.round(tpr).0;
    let Some(node) = c.node(i) else {
        return NodeReport {
            node: i,
            down: true,
            head: format!("Node {i}: down (crashed); its state is gone. Restarting brings it back empty, and it relearns by gossip."),
            rows: Vec::new(),
            counters: String::new(),
            round: e.round(),
            lacking: None,
        };
    };
    // What a node holds was either written there (at the round the write was applied) or
    // learned by gossip during a round, counted from 1 like the status line's rounds.
    let when = |entry: &Entry| {
        if entry.version().origin == i && entry.learned() == entry.version().tick() {
            format!("wrote it at round {}", round_of(entry.learned()))
        } else {
            format!("learned it in round {}", round_of(entry.learned()) + 1)
        }
    };
    let rumor_mode = matches!(c.config().node.mode, gossip_core::node::Mode::Rumor(_));
    let rows = node
        .store()
        .iter()
        .map(|(k, entry)| {
            let v = entry.version();
            let rumor = match node.rumor(k) {
                _ if !rumor_mode => "anti-entropy: always spread".to_string(),
                Some(r) if r.version == v => match r.state {
                    RumorState::Infective { count } => format!("infective, counter {count}"),
                    RumorState::Removed => "removed".to_string(),
                },
                _ => "removed".to_string(),
            };
            StoreRow {
                key: String::from_utf8_lossy(k).into_owned(),
                value: entry.value().map_or("(deleted)".to_string(), |x| {
                    String::from_utf8_lossy(x).into_owned()
                }),
                version: format!("node {} @ round {}", v.origin, round_of(v.tick())),
                here: when(entry),
                rumor,
            }
        })
        .collect();
    let k = node.counters();
    NodeReport {
        node: i,
        down: false,
        head: head(e, i, &when),
        rows,
        counters: format!(
            "Sent {} · received {} ({} data, {} redundant) · new entries {} · rumors removed {}",
            k.messages_sent,
            k.messages_received,
            k.data_messages_received,
            k.data_messages_redundant,
            k.entries_new,
            k.rumor.rumors_removed
        ),
        round: e.round(),
        lacking: e.lacking().map(|l| lacking_line(e, i, l.count(i), l.keys)),
    }
}

/// What live node `i` lacks of the `keys` newest versions (`count` of them), and which keys.
pub fn lacking_line(e: &Engine, i: u32, count: u32, keys: u32) -> String {
    if count == 0 {
        return format!("Lacks 0 of the {keys} newest versions: it holds every one.");
    }
    let names: Vec<String> = e
        .keys_lacked(i)
        .into_iter()
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect();
    format!(
        "Lacks {count} of the {keys} newest versions: {}.",
        names.join(", ")
    )
}

/// The inspector's first line: what node `i` holds of the tracked key.
fn head(e: &Engine, i: u32, when: &dyn Fn(&Entry) -> String) -> String {
    let key = e.key();
    let name = String::from_utf8_lossy(key).into_owned();
    let entry = e.cluster().node(i).and_then(|n| n.store().get(key));
    match (e.state(i), entry) {
        (NodeState::Informed | NodeState::Removed, Some(entry)) => {
            if entry.version().origin == i {
                format!(
                    "Node {i}: the source of the newest {name}: it {}.",
                    when(entry)
                )
            } else {
                format!("Node {i}: holds the newest {name}: it {}.", when(entry))
            }
        }
        (NodeState::Older, Some(entry)) => {
            format!(
                "Node {i}: holds an older {name}, not the newest: it {}.",
                when(entry)
            )
        }
        _ => format!("Node {i}: not informed yet of {name}."),
    }
}

/// What the inspector asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum InspectorCmd {
    /// Crash the node.
    Kill(u32),
    /// Restart it, empty.
    Revive(u32),
    /// Write the form's key and value at it.
    Write(u32),
    /// The key field changed.
    Key(String),
    /// The value field changed.
    Value(String),
}

/// What [`Inspector`] shows.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The node.
    pub report: NodeReport,
    /// The write form's key.
    pub write_key: String,
    /// The write form's value.
    pub write_value: String,
    /// The buttons and fields.
    pub on: Callback<InspectorCmd>,
    /// This run's link (its query, without `?`) and its nodes, for the link that repairs this
    /// node and another in the Anti-entropy lab; `None` when the run's actions fit no link.
    pub repair: Option<(String, u32)>,
}

/// The Anti-entropy lab's link that repairs nodes `a` and `b` of the run `link` (a query) at
/// `round`: its `src=` reader (`gossip_core::link::anti_entropy::source`) replays the run to
/// that round and takes the two stores, the very ones this inspector shows.
pub fn repair_href(link: &str, round: u32, a: u32, b: u32) -> String {
    format!(
        "?lab=anti-entropy&src={}&r={round}&na={a}&nb={b}",
        js_sys::encode_uri_component(link)
    )
}

/// The inspector of one node: its store, its counters, crash or restart, and the write form.
#[function_component(Inspector)]
pub fn inspector(p: &InspectorProps) -> Html {
    let r = &p.report;
    let i = r.node;
    // The other node of the pair to repair (the page's own state: not a field of the run).
    let other = use_state(|| u32::from(i == 0));
    let send = |c: InspectorCmd| p.on.reform(move |_: MouseEvent| c.clone());
    if r.down {
        return html! {
            <div id="inspector" class="inspector">
                <p id="inspector-head">{ &r.head }</p>
                <div class="controls wrap">
                    <button id="revive" onclick={send(InspectorCmd::Revive(i))}>{ "Restart (empty)" }</button>
                </div>
            </div>
        };
    }
    let rows = r.rows.iter().map(|row| {
        html! {
            <tr>
                <td>{ &row.key }</td>
                <td>{ &row.value }</td>
                <td>{ &row.version }</td>
                <td>{ &row.here }</td>
                <td>{ &row.rumor }</td>
            </tr>
        }
    });
    let on_key = p.on.reform(|ev: Event| {
        InspectorCmd::Key(ev.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_value = p.on.reform(|ev: Event| {
        InspectorCmd::Value(ev.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! {
        <div id="inspector" class="inspector">
            <p id="inspector-head">{ &r.head }</p>
            { for r.lacking.as_ref().map(|l| html! { <p id="inspector-lacking">{ l }</p> }) }
            <table class="store">
                <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "version: writer @ round" }</th><th>{ "here" }</th><th>{ "rumor" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="hint">{ &r.counters }</p>
            <div class="controls wrap">
                <button id="kill" onclick={send(InspectorCmd::Kill(i))}>{ "Crash" }</button>
                <label>{ "key " }<input id="write-key" type="text" size="8" value={p.write_key.clone()} onchange={on_key} /></label>
                <label>{ "value " }<input id="write-value" type="text" size="6" value={p.write_value.clone()} onchange={on_value} /></label>
                <button id="write" onclick={send(InspectorCmd::Write(i))}>{ "Write" }</button>
            </div>
            { repair_pair(p, *other, other.setter()) }
            <p class="hint">{ format!("Actions happen at the start of round {} and are kept in the link; acting at an earlier round inserts the action there and keeps the later ones (choose Fork in Actions to drop them instead).", r.round) }</p>
        </div>
    }
}

// "Compare with node …" and the link that repairs the two in the Anti-entropy lab.
fn repair_pair(p: &InspectorProps, other: u32, set: UseStateSetter<u32>) -> Html {
    let Some((link, nodes)) = &p.repair else {
        return html! {};
    };
    let (i, nodes) = (p.report.node, *nodes);
    let other = other.min(nodes.saturating_sub(1));
    // A pair is two nodes: the node itself is never its own partner (the lab would say so).
    let other = if other == i {
        (i + 1) % nodes.max(1)
    } else {
        other
    };
    let on_other = Callback::from(move |ev: Event| {
        let v = ev.target_unchecked_into::<HtmlInputElement>().value();
        if let Ok(n) = v.trim().parse::<u32>() {
            set.set(n.min(nodes.saturating_sub(1)));
        }
    });
    html! {
        <p class="controls wrap repair-pair">
            <label>{ "compare with node " }<input id="compare-with" type="number" min="0" max={nodes.saturating_sub(1).to_string()}
                value={other.to_string()} onchange={on_other} /></label>
            <a id="repair-pair" href={repair_href(link, p.report.round, i, other)}>{ "Repair this pair in the Anti-entropy lab" }</a>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::dissemination::params::Params;

    #[test]
    fn the_inspector_tells_the_source_a_learner_and_a_crashed_node_apart() {
        let p = Params::default();
        let mut t = crate::labs::dissemination::model::start(p.config(), Vec::new()).unwrap();
        let source = inspect(t.model(), 0);
        assert_eq!(
            source.head,
            "Node 0: the source of the newest rumor: it wrote it at round 0."
        );
        assert_eq!(source.rows.len(), 1);
        assert_eq!(source.rows[0].here, "wrote it at round 0");
        t.goto(40);
        let learner = (1..p.run.nodes)
            .map(|i| inspect(t.model(), i))
            .find(|r| r.head.contains("holds the newest rumor"))
            .expect("someone learned it");
        assert!(learner.rows[0].here.starts_with("learned it in round "));
        t.act(Action::Crash(3)).unwrap();
        let down = inspect(t.model(), 3);
        assert!(down.down && down.rows.is_empty() && down.head.starts_with("Node 3: down"));
        assert_eq!(source.lacking, None, "without repair nothing is counted");
    }

    #[test]
    fn with_repair_the_inspector_counts_and_names_the_newest_versions_a_node_lacks() {
        use crate::labs::dissemination::params::Scenario;
        let p = Params::of_scenario(Scenario::Repair);
        let mut t =
            crate::labs::dissemination::model::start(p.config(), p.run.actions.clone()).unwrap();
        // Just before the heal: node 0 (left half) lacks the right half's three writes and
        // its version of `both` (the right's writer has the higher id, so it wins the tie),
        // and with seed 1 also `left3`, whose rumor died out before it reached node 0.
        t.goto(19);
        let left = inspect(t.model(), 0);
        assert_eq!(
            left.lacking.unwrap(),
            "Lacks 5 of the 8 newest versions: both, left3, right1, right2, right3."
        );
        t.goto(60);
        assert!(t.model().is_complete());
        let done = inspect(t.model(), 0).lacking.unwrap();
        assert_eq!(
            done,
            "Lacks 0 of the 8 newest versions: it holds every one."
        );
    }
}
