//! The inspector of a clicked node: its truth, its incarnation, its local health score, its
//! next probe (target and tick), its running suspicions with their confirmations, the actions
//! on it, and its view of every member with the rows that disagree with the truth highlighted.

use gossip_core::node::{MemberState, NodeId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::draw::state_colour;
use super::model::Engine;
use super::Msg;

/// Rows of the view table shown (disagreeing rows first).
pub const VIEW_ROWS_MAX: usize = 64;

/// What the inspector's buttons ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum InspectorCmd {
    /// Crash the node.
    Crash(NodeId),
    /// Restart it.
    Restart(NodeId),
    /// It leaves gracefully.
    Leave(NodeId),
    /// It handles everything this many ticks late (0: it keeps up again).
    Slow(NodeId, u32),
    /// Every link to and from it loses this share (0 to 1).
    NodeLoss(NodeId, f64),
    /// The link from it to the second node loses this share, both ways.
    LinkLoss(NodeId, NodeId, f64),
    /// Forget the inspected node.
    Close,
}

/// The state the truth says every live node should hold `m` in.
pub fn truth(e: &Engine, m: NodeId) -> MemberState {
    match e.swim(m) {
        None => MemberState::Dead,
        Some(s) if s.has_left() => MemberState::Left,
        Some(_) => MemberState::Alive,
    }
}

/// The name of a state.
pub fn state_name(s: MemberState) -> &'static str {
    match s {
        MemberState::Alive => "alive",
        MemberState::Suspect => "suspect",
        MemberState::Dead => "dead",
        MemberState::Left => "left",
    }
}

/// The rows of `o`'s view, disagreeing ones first: (member, held, truth).
pub fn view_rows(e: &Engine, o: NodeId) -> Vec<(NodeId, Option<MemberState>, MemberState)> {
    let mut rows: Vec<_> = (0..e.nodes())
        .filter(|&m| m != o)
        .map(|m| (m, e.cell(o, m), truth(e, m)))
        .collect();
    rows.sort_by_key(|(m, held, t)| (*held == Some(*t), *m));
    rows
}

fn input_value(id: &str) -> String {
    crate::shell::dom::window()
        .document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(e).ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The inspector of node `i`.
pub fn view(e: &Engine, i: NodeId, link: &html::Scope<super::MembershipLab>) -> Html {
    let cmd = |c: InspectorCmd| link.callback(move |_: MouseEvent| Msg::Inspector(c.clone()));
    let up = e.is_up(i);
    let period = e.period_ticks();
    let truth_text = match (up, e.lag_ticks(i), e.swim(i).is_some_and(|s| s.has_left())) {
        (false, ..) => "crashed".to_string(),
        (true, _, true) => "up, has left the cluster".to_string(),
        (true, Some(l), _) => format!("up, slow: {l} ticks late"),
        (true, None, _) => "up".to_string(),
    };
    let slow_cb = link.callback(move |_: MouseEvent| {
        let lag = input_value("slow-lag").trim().parse().unwrap_or(2 * period);
        Msg::Inspector(InspectorCmd::Slow(i, lag))
    });
    let node_loss_cb = link.callback(move |_: MouseEvent| {
        let p: f64 = input_value("node-loss").trim().parse().unwrap_or(100.0);
        Msg::Inspector(InspectorCmd::NodeLoss(i, (p / 100.0).clamp(0.0, 1.0)))
    });
    let link_loss_cb = link.callback(move |_: MouseEvent| {
        let p: f64 = input_value("link-loss").trim().parse().unwrap_or(100.0);
        let to = input_value("link-to").trim().parse().unwrap_or(u32::MAX);
        Msg::Inspector(InspectorCmd::LinkLoss(i, to, (p / 100.0).clamp(0.0, 1.0)))
    });
    let actions = html! {
        <div class="node-actions">
            if up {
                <button id="crash" onclick={cmd(InspectorCmd::Crash(i))}>{ "Crash (K)" }</button>
                <button id="leave" onclick={cmd(InspectorCmd::Leave(i))}>{ "Leave (L)" }</button>
                <label>{ "Lag (ticks) " }<input id="slow-lag" type="number" min="0" value={(2 * period).to_string()} size="4" /></label>
                <button id="slow" onclick={slow_cb}>{ "Make slow (S)" }</button>
                <label>{ "Loss (%) " }<input id="node-loss" type="number" min="0" max="100" value="100" size="4" /></label>
                <button id="node-loss-set" onclick={node_loss_cb}>{ "Loss on this node" }</button>
                <label>{ "to node " }<input id="link-to" type="number" min="0" value={((i + 1) % e.nodes()).to_string()} size="4" /></label>
                <label>{ "loss (%) " }<input id="link-loss" type="number" min="0" max="100" value="100" size="4" /></label>
                <button id="link-loss-set" onclick={link_loss_cb}>{ "Loss on this link" }</button>
            } else {
                <button id="restart" onclick={cmd(InspectorCmd::Restart(i))}>{ "Restart (K)" }</button>
            }
            <button id="inspector-close" class="small" onclick={cmd(InspectorCmd::Close)}>{ "Close" }</button>
        </div>
    };
    let h = e.holders(i);
    let held = html! {
        <p id="inspect-held">{ format!(
            "The live nodes hold it: alive {}, suspect {}, dead {}, left {}.", h[0], h[1], h[2], h[3]
        ) }</p>
    };
    let Some(s) = e.swim(i) else {
        return html! {
            <section id="inspector" class="inspector">
                <h3>{ format!("Node {i}") }</h3>
                { held }
                <p id="inspect-truth">{ format!("Truth: {truth_text}. A crashed node has no view.") }</p>
                { actions }
            </section>
        };
    };
    let next_tick = s.next_probe_tick().0;
    let next_target = s
        .next_probe_target()
        .map_or("drawn at random then".to_string(), |t| format!("node {t}"));
    let probe = s.probe().map_or("none".to_string(), |p| {
        format!(
            "node {} since tick {}{}{}",
            p.target,
            p.started.0,
            if p.acked { ", acked" } else { "" },
            if p.indirect { ", asked helpers" } else { "" }
        )
    });
    let suspicions: Vec<Html> = s
        .suspicions()
        .map(|x| {
            let accusers: Vec<String> = x.accusers().iter().map(|a| a.to_string()).collect();
            html! { <li>{ format!(
                "node {} at incarnation {}: since tick {}, {} of {} confirmations (accusers {}), dead at tick {} unless refuted",
                x.member, x.incarnation, x.start.0, x.confirmations, x.k, accusers.join(", "), x.deadline.0
            ) }</li> }
        })
        .collect();
    let rows = view_rows(e, i);
    let disagree = rows.iter().filter(|(_, h, t)| *h != Some(*t)).count();
    let table = rows.iter().take(VIEW_ROWS_MAX).map(|(m, held, t)| {
        let bad = *held != Some(*t);
        let inc = s.member(*m).map_or(String::new(), |v| v.incarnation.to_string());
        let colour = held.map_or("transparent", state_colour);
        html! {
            <tr class={classes!("view-row", bad.then_some("disagree"))}>
                <td>{ m }</td>
                <td><span class="swatch" style={format!("background:{colour}")}></span>{ held.map_or("unknown", state_name) }</td>
                <td>{ inc }</td>
                <td>{ state_name(*t) }</td>
            </tr>
        }
    });
    html! {
        <section id="inspector" class="inspector">
            <h3>{ format!("Node {i}") }</h3>
            { held }
            <dl>
                <dt>{ "Truth" }</dt><dd id="inspect-truth">{ truth_text }</dd>
                <dt>{ "Incarnation" }</dt><dd id="inspect-incarnation">{ s.incarnation() }</dd>
                <dt>{ "Local health" }</dt><dd id="inspect-health">{ format!("{} of {} (probe timeout and interval x{})", s.health(), s.config().health_max, s.health() + 1) }</dd>
                <dt>{ "Next probe" }</dt><dd id="inspect-next">{ format!("{next_target} at tick {next_tick} (period {})", next_tick / u64::from(period)) }</dd>
                <dt>{ "Probe now" }</dt><dd>{ probe }</dd>
            </dl>
            <h4>{ format!("Suspicions ({})", suspicions.len()) }</h4>
            <ul id="inspect-suspicions">{ for suspicions }</ul>
            { actions }
            <h4 id="inspect-view-title">{ format!("Its view: {} members, {disagree} disagree with the truth", rows.len()) }</h4>
            <table id="inspect-view" class="view-table">
                <thead><tr><th>{ "member" }</th><th>{ "held" }</th><th>{ "incarnation" }</th><th>{ "truth" }</th></tr></thead>
                <tbody>{ for table }</tbody>
            </table>
        </section>
    }
}
