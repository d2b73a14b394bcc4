//! The inspector: the clicked node's store (keys, values, versions, when it learned each, its
//! rumor state), its counters, and what can be done to it (crash, restart, write).

use gossip_core::node::RumorState;
use gossip_core::sim::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::model::NodeState;
use super::params::KEY_BYTES_MAX;
use super::url;
use super::{DisseminationLab, Msg};

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

impl DisseminationLab {
    pub(super) fn kill(&mut self, i: u32) -> bool {
        self.act(Action::Crash(i), format!("Crashed node {i}"));
        true
    }

    pub(super) fn revive(&mut self, i: u32) -> bool {
        self.act(Action::Restart(i), format!("Restarted node {i}, empty"));
        true
    }

    /// Writes the form's value under its key at node `i`; a numeric value counts up after.
    pub(super) fn write(&mut self, i: u32) -> bool {
        let (key, value) = (self.form.key.clone(), self.form.value.clone());
        if !url::valid_key(&key) || !url::valid_key(&value) {
            self.notices.push(format!(
                "Write at node {i}: the key and the value must each be 1 to {KEY_BYTES_MAX} letters, digits, '-', '.', '_' or '~'."
            ));
            return true;
        }
        let done = self.act(
            Action::Write {
                node: i,
                key: key.as_bytes().to_vec(),
                value: value.as_bytes().to_vec(),
            },
            format!("Node {i} wrote {key} = {value}"),
        );
        if done {
            if let Ok(v) = value.parse::<u64>() {
                self.form.value = (v + 1).to_string();
            }
        }
        true
    }

    /// The inspected node's state and what can be done to it.
    pub(super) fn inspector(&self, ctx: &Context<Self>) -> Option<Html> {
        let i = self.selection.selected?;
        let link = ctx.link();
        let e = self.engine();
        let c = e.cluster();
        let tpr = c.config().ticks_per_round;
        let round_of = |t: gossip_core::time::Tick| t.round(tpr).0;
        let Some(node) = c.node(i) else {
            return Some(html! {
                <div id="inspector" class="inspector">
                    <p id="inspector-head">{ format!("Node {i}: down (crashed); its state is gone. Restarting brings it back empty, and it relearns by gossip.") }</p>
                    <div class="controls wrap">
                        <button id="revive" onclick={link.callback(move |_| Msg::Revive(i))}>{ "Restart (empty)" }</button>
                    </div>
                </div>
            });
        };
        // What a node holds was either written there (at the round the write was applied) or
        // learned by gossip during a round, counted from 1 like the status line's rounds.
        let when = |entry: &gossip_core::store::Entry| {
            if entry.version().origin == i && entry.learned() == entry.version().tick() {
                format!("wrote it at round {}", round_of(entry.learned()))
            } else {
                format!("learned it in round {}", round_of(entry.learned()) + 1)
            }
        };
        let rumor_mode = matches!(c.config().node.mode, gossip_core::node::Mode::Rumor(_));
        let rows = node.store().iter().map(|(k, entry)| {
            let v = entry.version();
            let value = entry.value().map_or("(deleted)".to_string(), |x| {
                String::from_utf8_lossy(x).into_owned()
            });
            let rumor = match node.rumor(k) {
                _ if !rumor_mode => "anti-entropy: always spread".to_string(),
                Some(r) if r.version == v => match r.state {
                    RumorState::Infective { count } => format!("infective, counter {count}"),
                    RumorState::Removed => "removed".to_string(),
                },
                _ => "removed".to_string(),
            };
            html! {
                <tr>
                    <td>{ String::from_utf8_lossy(k).into_owned() }</td>
                    <td>{ value }</td>
                    <td>{ format!("node {} @ round {}", v.origin, round_of(v.tick())) }</td>
                    <td>{ when(entry) }</td>
                    <td>{ rumor }</td>
                </tr>
            }
        });
        let k = node.counters();
        let counters = format!(
            "Sent {} · received {} ({} data, {} redundant) · new entries {} · rumors removed {}",
            k.messages_sent,
            k.messages_received,
            k.data_messages_received,
            k.data_messages_redundant,
            k.entries_new,
            k.rumors_removed
        );
        Some(html! {
            <div id="inspector" class="inspector">
                <p id="inspector-head">{ self.inspector_head(i, &when) }</p>
                <table class="store">
                    <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "version: writer @ round" }</th><th>{ "here" }</th><th>{ "rumor" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                <p class="hint">{ counters }</p>
                { self.write_form(ctx, i) }
                <p class="hint">{ format!("Actions happen at the start of round {} and are kept in the link; acting at an earlier round than the last computed one discards the later recorded actions.", e.round()) }</p>
            </div>
        })
    }

    /// The inspector's first line: what node `i` holds of the tracked key.
    fn inspector_head(
        &self,
        i: u32,
        when: &dyn Fn(&gossip_core::store::Entry) -> String,
    ) -> String {
        let e = self.engine();
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

    /// Crash, and the write form, for live node `i`.
    fn write_form(&self, ctx: &Context<Self>, i: u32) -> Html {
        let link = ctx.link();
        let on_key = link.callback(|ev: Event| {
            Msg::WriteKey(ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        let on_value = link.callback(|ev: Event| {
            Msg::WriteValue(ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        html! {
            <div class="controls wrap">
                <button id="kill" onclick={link.callback(move |_| Msg::Kill(i))}>{ "Crash" }</button>
                <label>{ "key " }<input id="write-key" type="text" size="8" value={self.form.key.clone()} onchange={on_key} /></label>
                <label>{ "value " }<input id="write-value" type="text" size="6" value={self.form.value.clone()} onchange={on_value} /></label>
                <button id="write" onclick={link.callback(move |_| Msg::Write(i))}>{ "Write" }</button>
            </div>
        }
    }
}
