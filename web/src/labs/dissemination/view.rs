//! The lab's markup: the stage (the cluster with its transport, status, notices and legend; the
//! scenario and its caption, the actions on nodes, the parameters, the chart, share and
//! export) and the embed's figure. Controls are grouped by what they act on; `www/style.css`
//! lays the groups out (two columns from 1100 px, one on a phone with the canvas first). Conditional
//! parts sit in fixed wrappers (`.host`), so showing or hiding them never shifts (and so
//! recreates) the elements after them, the canvases among them. The lab's methods here put the
//! page together and bind its callbacks; the parts that show only the run are plain view
//! functions of it.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::draw;
use super::params::SPEEDS;
use super::run::Run;
use super::scenarios::ScenarioPicker;
use super::{DisseminationLab, Msg};
use crate::lessons::challenges::panel::ChallengePanel;
use crate::shell::caption::Caption;
use crate::shell::controls::{Transport, TransportBar};
use crate::shell::notices::NoticeList;

impl DisseminationLab {
    /// The embed: the canvas, the chart or both (`view=`), Play and Step, the status and a
    /// link to the full lab.
    pub(super) fn embed_view(&self, ctx: &Context<Self>) -> Html {
        let view = self.session.run.params.view;
        html! { <>
            { self.notice_list(ctx) }
            <div class={classes!("embed-figure", view.key())}>
                { for view.cluster().then(|| self.session.cluster_canvas(&ctx.link().callback(Msg::Pointer))) }
                { for view.chart().then(|| super::chart::canvas(&self.session.canvases.chart.node)) }
            </div>
            <TransportBar ..self.transport(ctx)>
                <a id="full-link" href={super::export::permalink(&self.session.run, false).unwrap_or_default()} target="_blank" rel="noopener">{ "Open in Gossip Lab" }</a>
            </TransportBar>
            { status_line(&self.session.run) }
            { embed_key(&self.session.run) }
            { self.announce_line() }
        </> }
    }

    /// The full lab, below the shell's header: the cluster's column (the canvas with its
    /// transport and status, then the notices, the readout and the legend) and the side column
    /// (the actions on nodes, beside the canvas's top so a clicked node's inspector opens in
    /// view; the scenario and its caption; the run's parameters; the chart; share and
    /// export). On a phone both columns are one, interleaved by the CSS (`order`): the canvas
    /// and its transport first and in view (sticky), the node actions right under them.
    pub(super) fn full_view(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="stage">
                { self.cluster_column(ctx) }
                <div class="side">
                    { self.challenge_panel() }
                    { crate::shell::teacher::group("node-actions", self.nodes_group(ctx)) }
                    { crate::shell::teacher::group("actions", self.actions_group(ctx)) }
                    <section class="about" aria-label="Scenario">
                        { crate::shell::teacher::field("scenario", html! { <ScenarioPicker scenario={self.session.run.params.run.scenario} on_pick={ctx.link().callback(Msg::Scenario)} /> }) }
                        { caption(&self.session.run.params) }
                    </section>
                    { self.right(ctx) }
                </div>
            </div>
        }
    }

    /// The challenge the link sets (`ch=`), beside the run it checks
    /// ([`crate::lessons::challenges::panel::ChallengePanel`]).
    fn challenge_panel(&self) -> Html {
        let run = &self.session.run;
        let Some(id) = run.params.challenge else {
            return html! {};
        };
        html! {
            <ChallengePanel id={id} run={run.params.run.clone()} round={run.timeline.round()}
                complete={!run.timeline.can_advance()} proof={run.params.proof.clone()} />
        }
    }

    /// The actions on nodes ([`super::partition::Selection::nodes_group`]).
    fn nodes_group(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let (bar, inspector) = (link.callback(Msg::Partition), link.callback(Msg::Inspector));
        let params = &self.session.run.params;
        let repair = super::url::encode(params)
            .ok()
            .map(|q| (q, params.run.nodes));
        self.session.selection.nodes_group(
            self.session.engine(),
            &self.session.form,
            bar,
            inspector,
            repair,
        )
    }

    fn notice_list(&self, ctx: &Context<Self>) -> Html {
        notice_list(
            &self.session.run,
            ctx.link().callback(|_| Msg::DismissNotices),
        )
    }

    fn announce_line(&self) -> Html {
        html! { <p id="announce" class="visually-hidden" aria-live="polite">{ &self.session.announce }</p> }
    }

    /// The transport bar's state ([`super::player::Player::transport`]) and commands.
    fn transport(&self, ctx: &Context<Self>) -> crate::shell::controls::TransportProps {
        let on = ctx.link().callback(|t| match t {
            Transport::TogglePlay => Msg::TogglePlay,
            Transport::Back => Msg::Back,
            Transport::Step => Msg::Step,
            Transport::Reset => Msg::Reset,
            Transport::Seek(r) => Msg::Seek(r),
            Transport::Speed(i) => Msg::Param("speed", SPEEDS[i].to_string()),
        });
        self.session.player.transport(&self.session.run, on)
    }

    /// The cluster's column: the viewer (the canvas, the transport and the status, which stay
    /// in view on a phone), the notices, the readout, the legend and the tracked key.
    fn cluster_column(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="cluster-column">
                <section class="viewer" aria-label="The cluster and its transport">
                    { self.session.cluster_canvas(&ctx.link().callback(Msg::Pointer)) }
                    <TransportBar ..self.transport(ctx) />
                    { status_line(&self.session.run) }
                </section>
                <div class="host notices-host">{ self.notice_list(ctx) }</div>
                { readout(&self.session.run, self.session.player.speed_limited(&self.session.run)) }
                { key_panel(&self.session.run, ctx.link().callback(Msg::TrackKey)) }
                { self.announce_line() }
            </div>
        }
    }
}

/// The cluster's legend (rumor mongering's stopped nodes are squares), from the rows the
/// exported figure draws too. A plain view function, not a component: it has no state and no
/// callbacks, and a component costs code size.
pub fn legend(rumor: bool) -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for draw::legend::rows(rumor).map(|(_, class, text, words)| html! {
                <li><span class={*class}>{ *text }</span>{ *words }</li>
            }) }
        </ul>
    }
}

/// The embed's key: it has no legend, so where messages can be dropped, the two marks that
/// are not obvious are named.
/// The scenario's caption ([`crate::shell::caption`]).
fn caption(params: &super::params::Params) -> Html {
    let (plain, more) = params.caption();
    html! { <Caption plain={plain} more={more} /> }
}

fn embed_key(run: &Run) -> Html {
    html! {
        <div class="host">{ for run.drops_possible().then(|| html! {
            <p id="embed-key" class="hint">
                <span class="sw drop lost">{ "×" }</span>{ " lost on its link · " }
                <span class="sw drop cut">{ "|" }</span>{ " stopped by a partition" }
            </p>
        }) }</div>
    }
}

/// The run's notices and restart note, dismissed by `on_dismiss`.
fn notice_list(run: &Run, on_dismiss: Callback<()>) -> Html {
    html! {
        <NoticeList notices={run.notices.clone()} restart_note={run.restart_note.clone()}
            on_dismiss={on_dismiss} />
    }
}

/// The status line, or while the run is computed toward the link's round, the note that
/// says how far it got (a live region: the status shows only the round the link asked
/// for, once it is reached).
fn status_line(run: &Run) -> Html {
    match run.catch_up_note() {
        Some(note) => html! {
            <p id="catch-up" class="status" role="status" aria-live="polite">{ note }</p>
        },
        None => html! { <p id="status" class="status">{ run.status() }</p> },
    }
}

/// The readout under the notices: the speed-limited note (`limited`), the counters and the
/// cluster's line.
fn readout(run: &Run, limited: Option<String>) -> Html {
    html! {
        <div class="readout">
            <div class="host">{ for limited.map(|note| html! {
                <p id="limited" class="notice restart">{ note }</p>
            }) }</div>
            <p id="counters" class="counters">{ run.counters() }</p>
            <p id="cluster-line" class="counters">{ run.cluster_line() }</p>
        </div>
    }
}

/// The legend and the tracked key's picker, which sends the key picked to `on_track`.
fn key_panel(run: &Run, on_track: Callback<String>) -> Html {
    let on_change =
        on_track.reform(|ev: Event| ev.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <div class="key">
            { if run.engine().lacking().is_some() { super::repair::legend() } else { legend(run.params.run.mode.is_rumor()) } }
            <label class="field">{ "Track key " }
                <select id="track-key" onchange={on_change}>
                    { for run.tracked_keys().into_iter().map(|k| {
                        let selected = k == run.params.run.key;
                        html! { <option value={k.clone()} selected={selected}>{ k }</option> }
                    }) }
                </select>
            </label>
        </div>
    }
}
