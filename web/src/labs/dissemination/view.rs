//! The lab's markup: the stage (caption and notices, the cluster with its transport, status and
//! legend, the inspector, the parameters and the chart) and the embed's figure. Conditional
//! parts sit in fixed wrappers (`.host`), so showing or hiding them never shifts (and so
//! recreates) the elements after them, the canvases among them.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::inspector::{inspect, Inspector, InspectorCmd};
use super::params::SPEEDS;
use super::partition::{PartitionBar, PartitionCmd};
use super::scenarios::ScenarioPicker;
use super::{DisseminationLab, Msg};
use crate::shell::controls::{Transport, TransportBar};
use crate::shell::notices::NoticeList;
use crate::shell::playback::MODEL_BUDGET_MS_PER_FRAME;

impl DisseminationLab {
    /// The embed: the canvas, Play and Step, the status and a link to the full lab.
    pub(super) fn embed_view(&self, ctx: &Context<Self>) -> Html {
        html! { <>
            { self.notice_list(ctx) }
            { self.cluster_canvas(ctx) }
            <TransportBar ..self.transport(ctx)>
                <a id="full-link" href={self.permalink(false).unwrap_or_default()} target="_blank" rel="noopener">{ "Open in Gossip Lab" }</a>
            </TransportBar>
            { self.status_line() }
            // The embed has no legend; where messages can be dropped, the two marks that are not
            // obvious are named.
            <div class="host">{ for self.run.drops_possible().then(|| html! {
                <p id="embed-key" class="hint">
                    <span class="sw drop lost">{ "×" }</span>{ " lost on its link · " }
                    <span class="sw drop cut">{ "|" }</span>{ " stopped by a partition" }
                </p>
            }) }</div>
            { self.announce_line() }
        </> }
    }

    /// The full lab, below the shell's header.
    pub(super) fn full_view(&self, ctx: &Context<Self>) -> Html {
        html! { <>
            <ScenarioPicker scenario={self.run.params.scenario} on_pick={ctx.link().callback(Msg::Scenario)} />
            // The caption and notices sit beside the canvas on a wide screen (above it on a
            // phone), so that a long caption never pushes the controls below the fold.
            <div class="stage">
                <div class="about">
                    <p id="caption" class="caption">{ self.run.params.caption() }</p>
                    <div class="host">{ self.notice_list(ctx) }</div>
                </div>
                { self.left(ctx) }
                // Beside the canvas on a wide screen, so a clicked node's inspector opens in
                // view; under the cluster's controls on a phone.
                <div class="host inspect">{ for self.selection.selected.map(|i| html! {
                    <Inspector report={inspect(self.engine(), i)} write_key={self.form.key.clone()} write_value={self.form.value.clone()}
                        on={ctx.link().callback(|c| match c {
                            InspectorCmd::Kill(i) => Msg::Kill(i),
                            InspectorCmd::Revive(i) => Msg::Revive(i),
                            InspectorCmd::Write(i) => Msg::Write(i),
                            InspectorCmd::Key(k) => Msg::WriteKey(k),
                            InspectorCmd::Value(v) => Msg::WriteValue(v),
                        })} />
                }) }</div>
                { self.right(ctx) }
            </div>
        </> }
    }

    fn notice_list(&self, ctx: &Context<Self>) -> Html {
        html! {
            <NoticeList notices={self.run.notices.clone()} restart_note={self.run.restart_note.clone()}
                on_dismiss={ctx.link().callback(|_| Msg::DismissNotices)} />
        }
    }

    /// The status line, or while the run is computed toward the link's round, the note that
    /// says how far it got (a live region: the status shows only the round the link asked
    /// for, once it is reached).
    fn status_line(&self) -> Html {
        match self.run.catch_up_note() {
            Some(note) => html! {
                <p id="catch-up" class="status" role="status" aria-live="polite">{ note }</p>
            },
            None => html! { <p id="status" class="status">{ self.run.status() }</p> },
        }
    }

    fn announce_line(&self) -> Html {
        html! { <p id="announce" class="visually-hidden" aria-live="polite">{ &self.announce }</p> }
    }

    /// The transport bar's state and commands.
    fn transport(&self, ctx: &Context<Self>) -> crate::shell::controls::TransportProps {
        let round = self.run.timeline.round();
        crate::shell::controls::TransportProps {
            // Catching up is shown as playing: Pause stops it at the round reached.
            playing: self.playback.playing || self.run.catching_up.is_some(),
            can_advance: self.run.timeline.can_advance(),
            replay: self.embed_replays(),
            round,
            horizon: self.run.timeline.horizon().max(round),
            speeds: &SPEEDS,
            speed_index: self.run.params.speed_index,
            done_title: self.run.done_title(),
            embed: self.run.params.embed,
            on: ctx.link().callback(|t| match t {
                Transport::TogglePlay => Msg::TogglePlay,
                Transport::Back => Msg::Back,
                Transport::Step => Msg::Step,
                Transport::Reset => Msg::Reset,
                Transport::Seek(r) => Msg::Seek(r),
                Transport::Speed(i) => Msg::Param("speed", SPEEDS[i].to_string()),
            }),
            children: Html::default(),
        }
    }

    /// The cluster's column: the canvas, the transport, the status, the legend and the
    /// partition bar.
    fn left(&self, ctx: &Context<Self>) -> Html {
        let p = &self.run.params;
        let speed = SPEEDS[p.speed_index.min(SPEEDS.len() - 1)];
        html! {
            <div class="left">
                { self.cluster_canvas(ctx) }
                <TransportBar ..self.transport(ctx) />
                { self.status_line() }
                <div class="host">{ for (self.playback.limited && self.playback.playing).then(|| html! {
                    <p id="limited" class="notice restart">{ format!("Speed limited: the model cannot compute {speed}x for {} nodes within {MODEL_BUDGET_MS_PER_FRAME} ms a frame, so it plays slower to keep the page smooth.", p.nodes) }</p>
                }) }</div>
                <p id="counters" class="counters">{ self.run.counters() }</p>
                <p id="cluster-line" class="counters">{ self.run.cluster_line() }</p>
                { legend(p.mode.is_rumor()) }
                <label>{ "Track key " }
                    <select id="track-key" onchange={ctx.link().callback(|ev: Event| Msg::TrackKey(ev.target_unchecked_into::<HtmlSelectElement>().value()))}>
                        { for self.run.tracked_keys().into_iter().map(|k| {
                            let selected = k == self.run.params.key;
                            html! { <option value={k.clone()} selected={selected}>{ k }</option> }
                        }) }
                    </select>
                </label>
                { self.announce_line() }
                <PartitionBar group={self.selection.group.len()} select_mode={self.selection.select_mode}
                    partitioned={self.engine().cluster().network().is_partitioned()}
                    on={ctx.link().callback(|c| match c {
                        PartitionCmd::ToggleSelectMode => Msg::ToggleSelectMode,
                        PartitionCmd::Cut(d) => Msg::Cut(d),
                        PartitionCmd::Clear => Msg::ClearGroup,
                        PartitionCmd::Heal => Msg::Heal,
                    })} />
            </div>
        }
    }
}

/// The cluster's legend (rumor mongering's stopped nodes are squares). A plain view function,
/// not a component: it has no state and no callbacks, and a component costs code size.
pub fn legend(rumor: bool) -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            <li><span class="sw filled"></span>{ "holds the newest version (filled)" }</li>
            <li><span class="sw fresh"></span>{ "learned it this round (outlined)" }</li>
            <li><span class="sw hollow"></span>{ "holds nothing yet (hollow)" }</li>
            <li><span class="sw older"></span>{ "holds an older version (thick ring)" }</li>
            { for rumor.then(|| html! { <li><span class="sw removed"></span>{ "knows, stopped spreading (square)" }</li> }) }
            <li><span class="sw down">{ "×" }</span>{ "crashed (cross)" }</li>
            <li><span class="sw cut"></span>{ "cut off by a partition (shaded, dashed ring)" }</li>
            <li><span class="sw msg"></span>{ "message bringing the newest version" }</li>
            <li><span class="sw msg empty"></span>{ "request, feedback or nothing new" }</li>
            <li><span class="sw drop lost">{ "×" }</span>{ "message lost on its link (or over the in-flight limit): a short stub and a cross" }</li>
            <li><span class="sw drop cut">{ "|" }</span>{ "message stopped by a partition: a short stub and a bar" }</li>
        </ul>
    }
}
