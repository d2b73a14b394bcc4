//! The run's recorded actions, visible and editable: [`ActionList`] lists each with its round
//! and a plain description ([`describe`]), with Jump (seek to its round) and Delete, Undo and
//! Redo of the last edit, and the explicit Fork choice, a toggle button (acting in the past then
//! drops the later actions instead of keeping them). A component that knows no lab: the lab gives it the
//! timeline's actions and hears [`ActionsCmd`]; the timeline does the editing
//! ([`crate::shell::timeline::Timeline::insert`] and the rest). The marks along the round
//! slider ([`marks`]) are the same list, drawn by the transport.

use gossip_core::net::{Direction, LinkConfig};
use gossip_core::sim::{Action, ActionError};
use yew::prelude::*;

use crate::shell::timeline::{Edit, Model, TimedAction, Timeline};

/// What the list asks the lab to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ActionsCmd {
    /// Show this round (an action's).
    Jump(u32),
    /// Delete the action at this index of the list.
    Delete(usize),
    /// Take back the last edit.
    Undo,
    /// Make the last undone edit again.
    Redo,
    /// Whether acting in the past forks (drops the later actions) instead of inserting.
    Fork(bool),
}

/// A plain description of `a`, for the list, the slider's marks and the notices.
pub fn describe(a: &Action) -> String {
    let link = |l: &LinkConfig| {
        let mut s = format!("loss {} %", (l.loss * 100.0).round());
        if l.duplicate > 0.0 {
            s += &format!(", duplicates {} %", (l.duplicate * 100.0).round());
        }
        if l.latency_ticks_min == l.latency_ticks_max {
            s + &format!(", latency {} ticks", l.latency_ticks_min)
        } else {
            s + &format!(
                ", latency {} to {} ticks",
                l.latency_ticks_min, l.latency_ticks_max
            )
        }
    };
    match a {
        Action::Write { node, key, value } => format!(
            "write {} = {} at node {node}",
            String::from_utf8_lossy(key),
            String::from_utf8_lossy(value)
        ),
        Action::Delete { node, key } => {
            format!("delete {} at node {node}", String::from_utf8_lossy(key))
        }
        Action::Crash(n) => format!("crash node {n}"),
        Action::Restart(n) => format!("restart node {n}"),
        Action::Partition { groups, direction } => {
            let sizes: Vec<String> = groups.iter().map(|g| g.len().to_string()).collect();
            let how = match direction {
                Direction::Both => "both ways",
                Direction::OneWay => "one way",
            };
            format!("cut into groups of {} nodes, {how}", sizes.join(" and "))
        }
        Action::Heal => "heal the partition".to_string(),
        Action::SetLink { from, to, link: l } => format!("link {from} → {to}: {}", link(l)),
        Action::SetDefaultLink(l) => format!("every link: {}", link(l)),
        Action::Slow { node, lag_ticks: 0 } => format!("node {node} keeps up again"),
        Action::Slow { node, lag_ticks } => format!("slow node {node} by {lag_ticks} ticks"),
        Action::Leave(n) => format!("node {n} leaves"),
    }
}

/// The marks along the round slider: each action's round and description (one mark per
/// action; actions of one round share its place).
pub fn marks(actions: &[TimedAction], unit: &str) -> Vec<(u32, String)> {
    actions
        .iter()
        .map(|(r, a)| (r.0 as u32, format!("{unit} {}: {}", r.0, describe(a))))
        .collect()
}

/// The notice for the later actions an edit had to drop, naming each, or `None`.
pub fn impossible_notice(edit: &Edit, unit: &str) -> Option<String> {
    let named: Vec<String> = edit
        .impossible
        .iter()
        .map(|((r, a), e): &(TimedAction, ActionError)| {
            format!("{} at {unit} {} ({e})", describe(a), r.0)
        })
        .collect();
    (!named.is_empty()).then(|| {
        format!(
            "No longer possible after this edit, so removed: {}.",
            named.join("; ")
        )
    })
}

/// Does what `c` asks of `timeline` when it edits the actions (Delete, Undo, Redo): the edit's
/// outcome, or `None` when `c` is not an edit or had nothing to do (the lab handles Jump and
/// Fork, which change no action).
pub fn edit<M: Model>(
    timeline: &mut Timeline<M>,
    c: ActionsCmd,
) -> Option<Result<Edit, ActionError>> {
    match c {
        ActionsCmd::Delete(i) => timeline.delete(i),
        ActionsCmd::Undo => timeline.undo(),
        ActionsCmd::Redo => timeline.redo(),
        ActionsCmd::Jump(_) | ActionsCmd::Fork(_) => None,
    }
}

/// Whether `key` (as a keydown's `key`, with Ctrl or Cmd held) is Undo or Redo: Ctrl+Z and
/// Cmd+Z undo, with Shift (or Ctrl+Y) they redo.
pub fn undo_key(key: &str, ctrl_or_meta: bool, shift: bool) -> Option<ActionsCmd> {
    match (ctrl_or_meta, key, shift) {
        (true, "z" | "Z", false) => Some(ActionsCmd::Undo),
        (true, "z" | "Z", true) | (true, "y" | "Y", _) => Some(ActionsCmd::Redo),
        _ => None,
    }
}

/// What [`ActionList`] shows.
#[derive(Properties, PartialEq)]
pub struct ActionListProps {
    /// The recorded actions, in round order.
    pub actions: Vec<TimedAction>,
    /// The round viewed (its actions are highlighted).
    pub round: u32,
    /// "round" or "period": what the lab calls a round.
    pub unit: &'static str,
    /// Whether there is an edit to undo, and one to redo.
    pub can_undo: bool,
    /// Whether there is an undone edit to redo.
    pub can_redo: bool,
    /// Whether acting in the past forks.
    pub fork: bool,
    /// The commands.
    pub on: Callback<ActionsCmd>,
}

/// The Actions group: the list, Undo and Redo, and the Fork choice.
#[function_component(ActionList)]
pub fn action_list(p: &ActionListProps) -> Html {
    let send = |c: ActionsCmd| p.on.reform(move |_: MouseEvent| c);
    let rows = p.actions.iter().enumerate().map(|(i, (r, a))| {
        let r = r.0 as u32;
        let what = describe(a);
        html! {
            <li class={classes!("action", (r == p.round).then_some("here"))} data-round={r.to_string()}>
                <span class="action-round">{ format!("{} {r}", capital(p.unit)) }</span>{ " " }
                <span class="action-what">{ what.clone() }</span>{ " " }
                <button class="jump" onclick={send(ActionsCmd::Jump(r))}
                    aria-label={format!("Jump to {} {r} ({what})", p.unit)}>{ "Jump" }</button>
                <button class="delete" onclick={send(ActionsCmd::Delete(i))}
                    aria-label={format!("Delete {what} at {} {r}", p.unit)}>{ "Delete" }</button>
            </li>
        }
    });
    let fork = !p.fork;
    html! {
        <section class="group actions" id="actions" aria-label="Actions">
            <h2 class="group-title">{ format!("Actions ({})", p.actions.len()) }</h2>
            if p.actions.is_empty() {
                <p class="hint">{ format!("No action yet: crash, restart or write on a node, and it is listed here at its {}.", p.unit) }</p>
            } else {
                <ol class="action-list">{ for rows }</ol>
            }
            <div class="controls">
                <button id="undo" disabled={!p.can_undo} onclick={send(ActionsCmd::Undo)}
                    aria-keyshortcuts="Control+Z Meta+Z" title="Undo the last edit of the actions (Ctrl+Z)">{ "Undo" }</button>
                <button id="redo" disabled={!p.can_redo} onclick={send(ActionsCmd::Redo)}
                    aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z" title="Redo it (Ctrl+Shift+Z)">{ "Redo" }</button>
                <button id="fork" aria-pressed={if p.fork { "true" } else { "false" }} onclick={send(ActionsCmd::Fork(fork))}
                    title={format!("Off: acting at an earlier {} inserts the action and keeps the later ones. On: it forks, dropping the later actions.", p.unit)}>
                    { "Fork: acting in the past drops the later actions" }
                </button>
            </div>
        </section>
    }
}

fn capital(unit: &str) -> String {
    let mut c = unit.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::time::Round;

    #[test]
    fn every_action_is_described_in_plain_words() {
        let w = Action::Write {
            node: 2,
            key: b"k".to_vec(),
            value: b"v".to_vec(),
        };
        assert_eq!(describe(&w), "write k = v at node 2");
        assert_eq!(describe(&Action::Crash(3)), "crash node 3");
        let cut = Action::Partition {
            groups: vec![vec![0, 1], vec![2, 3, 4]],
            direction: Direction::OneWay,
        };
        assert_eq!(describe(&cut), "cut into groups of 2 and 3 nodes, one way");
        let l = LinkConfig {
            loss: 0.25,
            ..LinkConfig::default()
        };
        assert_eq!(
            describe(&Action::SetLink {
                from: 1,
                to: 0,
                link: l
            }),
            "link 1 → 0: loss 25 %, latency 1 ticks"
        );
        assert_eq!(
            marks(&[(Round(4), Action::Heal)], "period"),
            [(4, "period 4: heal the partition".to_string())]
        );
    }

    #[test]
    fn the_notice_names_each_dropped_action_and_why() {
        let e = Edit {
            impossible: vec![((Round(8), Action::Crash(7)), ActionError::NodeDown(7))],
        };
        assert_eq!(
            impossible_notice(&e, "round").unwrap(),
            "No longer possible after this edit, so removed: crash node 7 at round 8 (node 7 is down)."
        );
        assert_eq!(impossible_notice(&Edit::default(), "round"), None);
    }
}
