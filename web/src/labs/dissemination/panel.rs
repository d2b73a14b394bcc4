//! The side column's groups after the node actions: the run's parameters (each edit goes
//! through the link's codec, see `run.rs`), the chart with its trials and the
//! convergence-bounds sweep, and share and export (Copy link, the PNG figure, the CSV, the
//! copied link).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::model::TICKS_PER_ROUND;
use super::params::{
    mode_title, Params, Protocol, StopRule, GOSSIP_INTERVAL_TICKS_MAX, LATENCY_TICKS_MAX,
    NODES_MAX, RUMOR_K_MAX,
};
use super::repair::RepairFields;
use super::{DisseminationLab, Msg};
use crate::shell::teacher::{field, group};
use gossip_core::link::dissemination::Membership;

impl DisseminationLab {
    /// The side column after the node actions: the run's parameters, the chart with its
    /// trials, and share and export.
    pub(super) fn right(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! { <>
            { group("params", html! { <Parameters params={self.session.run.params.clone()}
                on_param={link.callback(|(k, v)| Msg::Param(k, v))}
                on_new_seed={link.callback(|_| Msg::NewSeed)} /> }) }
            { group("chart", super::chart::group(&self.session.canvases.chart.node, &self.session.canvases.bounds.node, &self.session.run, link.callback(|_| Msg::ToggleBand))) }
            { super::repair::chart(&self.session.run) }
            { group("share", self.session.share.view(&link.callback(Msg::Share))) }
        </> }
    }
}

/// What [`Parameters`] shows and tells.
#[derive(Properties, PartialEq)]
pub struct ParametersProps {
    /// The run's parameters.
    pub params: Params,
    /// A field changed: its link name and its new value (validated as the link is).
    pub on_param: Callback<(&'static str, String)>,
    /// New seed.
    pub on_new_seed: Callback<()>,
}

/// The parameters fieldset; a teacher's link may lock or hide each (`shell::teacher::field`).
#[function_component(Parameters)]
pub fn parameters(props: &ParametersProps) -> Html {
    let p = &props.params;
    let rumor = p.run.mode.is_rumor();
    let change = |key: &'static str| {
        props
            .on_param
            .reform(move |ev: Event| (key, ev.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let select = |key: &'static str| {
        props
            .on_param
            .reform(move |ev: Event| (key, ev.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let mode_options = Protocol::ALL.into_iter().map(
        |m| html! { <option value={m.key()} selected={m == p.run.mode}>{ mode_title(m) }</option> },
    );
    html! {
        <fieldset class="group params">
            <legend class="group-title">{ "Run parameters" }</legend>
            { field("nodes", html! { <label>{ "Nodes " }<input id="nodes" type="number" min="2" max={NODES_MAX.to_string()} value={p.run.nodes.to_string()} onchange={change("n")} /></label> }) }
            { field("fanout", html! { <label title={rumor.then_some("Rumor mongering contacts one peer per cycle")}><abbr class="term" title={crate::lessons::glossary::define("fanout")}>{ "Fanout" }</abbr>{ " " }<input id="fanout" type="number" min="1" max="16" value={p.run.fanout.to_string()} disabled={rumor} onchange={change("k")} /></label> }) }
            { field("mode", html! { <label>{ "Mode " }
                <select id="mode" onchange={select("m")}>
                    { for mode_options }
                </select>
            </label> }) }
            { field("loss", html! { <label title={rumor.then_some("Rumor mongering here has no message loss")}>{ format!("Loss {} % ", p.run.loss_percent) }<input id="loss" type="range" min="0" max="95" value={p.run.loss_percent.to_string()} disabled={rumor} onchange={change("loss")} /></label> }) }
            { for rumor.then(|| html! { <>
                { field("stop", html! { <label>{ "Stop rule " }
                    <select id="stop" onchange={select("stop")}>
                        { for StopRule::ALL.into_iter().map(|r| html! { <option value={r.key()} selected={r == p.run.stop}>{ r.title() }</option> }) }
                    </select>
                </label> }) }
                { field("rumor-k", html! { <label>{ "k " }<input id="rumor-k" type="number" min="1" max={RUMOR_K_MAX.to_string()} value={p.run.rumor_k.to_string()} onchange={change("rk")} /></label> }) }
            </> }) }
            { field("latency", html! { <label title="Ticks a message travels; a round is 4 ticks">{ "Latency " }
                <input id="lat" type="number" min="1" max={LATENCY_TICKS_MAX.to_string()} value={p.run.latency_min.to_string()} onchange={change("lat")} />
                { " to " }
                <input id="latmax" type="number" min="1" max={LATENCY_TICKS_MAX.to_string()} value={p.run.latency_max.to_string()} onchange={change("latmax")} />
                { " ticks" }
            </label> }) }
            { field("gossip", html! { <label title="Ticks between a node's gossips; a round is 4 ticks">{ "Gossip every " }<input id="gossip" type="number" min="1" max={GOSSIP_INTERVAL_TICKS_MAX.to_string()} value={p.run.gossip_ticks.to_string()} onchange={change("gi")} />{ " ticks" }</label> }) }
            <p id="sync-note" class="hint">{ if p.is_synchronous() {
                format!("A round is {TICKS_PER_ROUND} ticks. With one gossip per round and a fixed latency L with 2L < {TICKS_PER_ROUND}, every exchange is back within its round: the engine is exactly the synchronous model of the theory curves and the trials.")
            } else {
                format!("Asynchronous: the engine is the synchronous model only with a gossip every {TICKS_PER_ROUND} ticks and a fixed latency L with 2L < {TICKS_PER_ROUND}; here messages cross round boundaries, so the run may differ from the theory curves and the trials, which assume synchronous rounds.")
            } }</p>
            { field("membership", html! { <label title="Who each node gossips with: the oracle tells every node the live members at once; with SWIM each node finds out by probing (the band of trials keeps the oracle)">{ "Membership " }
                <select id="membership" onchange={select("mem")}>
                    { for [Membership::Oracle, Membership::Swim].into_iter().map(|m| html! { <option value={m.key()} selected={m == p.run.membership}>{ if m == Membership::Swim { "SWIM" } else { "oracle" } }</option> }) }
                </select>
            </label> }) }
            { field("repair", html! { <RepairFields params={p.clone()} on_param={props.on_param.clone()} /> }) }
            { field("seed", html! { <><label>{ "Seed " }<input id="seed" type="text" inputmode="numeric" value={p.run.seed.to_string()} onchange={change("seed")} /></label>
            <button id="new-seed" onclick={props.on_new_seed.reform(|_: MouseEvent| ())}>{ "New seed" }</button></> }) }
        </fieldset>
    }
}
