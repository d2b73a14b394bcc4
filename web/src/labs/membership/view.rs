//! The membership lab's markup: the stage (the cluster with its transport, status, notices and
//! legend; the matrix; the inspector; the scenario and its caption; the parameters; the chart
//! with its note; share and export) and the embed's figure.

use gossip_core::link::membership::{lifeguard_key, probe_order_key, Scenario};
use gossip_core::node::LifeguardConfig;
use web_sys::{HtmlInputElement, HtmlSelectElement, MouseEvent};
use yew::prelude::*;

use super::chart::{detection_at, detection_line, detector_bytes_per_member, totals, Totals};
use super::run::Run;
use super::{draw, inspector, matrix, scenarios, MembershipLab, Msg};
use crate::labs::dissemination::params::SPEEDS;
use crate::shell::caption::Caption;
use crate::shell::controls::{Transport, TransportBar, TransportProps};
use crate::shell::notices::NoticeList;
use gossip_core::link::membership::Compare;
use gossip_core::sim::RoundRecord;

/// A click's position in a canvas's logical pixels.
fn logical(e: &MouseEvent, w: f64, h: f64) -> (f64, f64) {
    let el: web_sys::Element = e.target_unchecked_into();
    let r = el.get_bounding_client_rect();
    let x = (f64::from(e.client_x()) - r.left()) * w / r.width().max(1.0);
    let y = (f64::from(e.client_y()) - r.top()) * h / r.height().max(1.0);
    (x, y)
}

impl MembershipLab {
    /// The embed: the cluster, the chart or both (`view=`), Play and Step, the status and a
    /// link to the full lab.
    pub(super) fn embed_view(&self, ctx: &Context<Self>) -> Html {
        let full = self.run.link().replace("&embed=1", "");
        let view = self.run.params.view;
        html! { <>
            { self.notices(ctx) }
            <div class={classes!("embed-figure", view.key())}>
                { for view.cluster().then(|| self.cluster_canvas(ctx)) }
                { for view.chart().then(|| chart_canvas(&self.canvases.chart.node)) }
            </div>
            <TransportBar ..self.transport(ctx)>
                <a id="full-link" href={full} target="_blank" rel="noopener">{ "Open in Gossip Lab" }</a>
            </TransportBar>
            { status(&self.run, self.playback.limited) }
        </> }
    }

    /// The whole lab.
    pub(super) fn full_view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let e = self.run.engine();
        let pick = link.callback(|ev: Event| {
            Msg::Scenario(ev.target_unchecked_into::<HtmlSelectElement>().value())
        });
        let scenario = self.run.params.run.scenario;
        let options = Scenario::ALL.into_iter().map(|s| {
            html! { <option value={s.key()} selected={s == scenario}>{ s.title() }</option> }
        });
        let matrix_click = link.callback(|ev: MouseEvent| {
            Msg::MatrixClick(logical(&ev, matrix::SIZE, matrix::SIZE).1)
        });
        html! {
            <div class="stage membership">
                <div class="cluster-column">
                    <section class="viewer" aria-label="The cluster and its transport">
                        { self.cluster_canvas(ctx) }
                        <TransportBar ..self.transport(ctx) />
                        { status(&self.run, self.playback.limited) }
                    </section>
                    <div class="host notices-host">{ self.notices(ctx) }</div>
                    { draw::legend() }
                    { crate::shell::teacher::group("matrix", html! { <section class="matrix" aria-label="Membership matrix">
                        <h3>{ "Membership matrix" }</h3>
                        <canvas id="matrix" ref={self.canvases.matrix.node.clone()} width="320" height="320" onclick={matrix_click}
                            aria-label="Rows: observers; columns: members; colour: the state held" />
                        <p id="matrix-caption" class="caption">{ matrix::caption(e.nodes()) }</p>
                    </section> }) }
                </div>
                <div class="side">
                    <div class="host">{ for self.run.inspect.map(|i| inspector::view(e, i, link)) }</div>
                    { crate::shell::teacher::group("actions", super::actions::group(&self.run, link.callback(Msg::Actions))) }
                    <section class="about" aria-label="Scenario">
                        { crate::shell::teacher::field("scenario", html! { <label>{ "Scenario " }<select id="scenario" onchange={pick}>{ for options }</select></label> }) }
                        { scenario_caption(scenario) }
                    </section>
                    { crate::shell::teacher::group("params", parameters(&self.run, link)) }
                    { crate::shell::teacher::group("chart", html! { <section class="chart" aria-label="Chart">
                        { chart_canvas(&self.canvases.chart.node) }
                        { chart_note(&self.run, &self.canvases) }
                    </section> }) }
                    { crate::shell::teacher::group("share", html! { <section class="share" aria-label="Share">
                        <button id="copy-link" onclick={link.callback(|_| Msg::CopyLink)}>{ "Copy link" }</button>
                        <button id="export-csv" onclick={link.callback(|_| Msg::ExportCsv)}>{ "Download CSV" }</button>
                        <span id="copied">{ match self.copied { Some(true) => "Link copied.", Some(false) => "Could not copy: the link is in the address bar.", None => "" } }</span>
                    </section> }) }
                </div>
            </div>
        }
    }

    fn cluster_canvas(&self, ctx: &Context<Self>) -> Html {
        let click = ctx.link().callback(|ev: MouseEvent| {
            let (x, y) = logical(&ev, draw::WIDTH, draw::HEIGHT);
            Msg::ClusterClick(x, y)
        });
        html! {
            <canvas id="cluster" ref={self.canvases.cluster.node.clone()} width="640" height="480" onclick={click}
                aria-label="The cluster: each node's truth and how the others hold it" />
        }
    }

    fn notices(&self, ctx: &Context<Self>) -> Html {
        html! { <NoticeList notices={self.run.notices.clone()} restart_note={None::<String>} on_dismiss={ctx.link().callback(|_| Msg::DismissNotices)} /> }
    }

    fn transport(&self, ctx: &Context<Self>) -> TransportProps {
        let on = ctx.link().callback(|t| match t {
            Transport::TogglePlay => Msg::TogglePlay,
            Transport::Back => Msg::Back,
            Transport::Step => Msg::Step,
            Transport::Reset => Msg::Reset,
            Transport::Seek(r) => Msg::Seek(r),
            Transport::Speed(i) => Msg::Param("speed", SPEEDS[i].to_string()),
        });
        let t = &self.run.timeline;
        TransportProps {
            // Catching up is shown as playing: Pause stops it at the period reached.
            playing: self.playback.playing || self.run.catching_up.is_some(),
            can_advance: t.can_advance(),
            replay: false,
            round: t.round(),
            horizon: t.horizon().max(t.round()),
            speeds: &SPEEDS,
            speed_index: self.run.params.speed_index,
            done_title: "The longest run is reached.".into(),
            embed: self.run.params.embed,
            on,
            marks: crate::shell::actions::marks(t.actions(), "Period"),
            children: Html::default(),
        }
    }
}

/// The chart's canvas (in the full lab and in the embed).
/// The scenario's caption ([`crate::shell::caption`]).
fn scenario_caption(s: Scenario) -> Html {
    let c = scenarios::caption(s);
    html! { <Caption plain={c.plain} more={c.more} /> }
}

fn chart_canvas(node: &NodeRef) -> Html {
    html! { <canvas id="chart" ref={node.clone()} width="640" height="240"
    aria-label="Detection times against the analysis; false suspicions and deaths over time" /> }
}

/// `Period r · up u/n · …`: the truth against the views, counted.
pub fn status(run: &Run, limited: bool) -> Html {
    if let Some(note) = run.catch_up_note() {
        // Not `#status`: that shows only the period the link asked for.
        return html! { <p id="catch-up" class="status" role="status" aria-live="polite">{ note }</p> };
    }
    let e = run.engine();
    let n = e.nodes();
    let up = (0..n).filter(|&i| e.is_up(i)).count();
    let (mut wrong_suspect, mut wrong_dead, mut down_alive) = (0u32, 0u32, 0u32);
    for i in 0..n {
        let h = e.holders(i);
        if e.is_up(i) {
            wrong_suspect += h[1];
            wrong_dead += h[2];
        } else {
            down_alive += h[0] + h[1];
        }
    }
    let limited = if limited { " · speed limited" } else { "" };
    html! {
        <p id="status" class="status" aria-live="off">{ format!(
            "Period {} · up {up}/{n} · up members held suspect {wrong_suspect}, dead {wrong_dead} · crashed members held live {down_alive}{limited}",
            run.timeline.round()
        ) }</p>
    }
}

/// The analysis as the chart draws it, in words: the expected first detection, and the floor
/// under full detection (or why there is none).
pub fn analysis_words(run: &Run, expected: f64, floor: Option<(u64, u64)>) -> String {
    let p = &run.params.run;
    let first = format!(
        "Analysis: the expected first detection of a crash is {expected:.2} periods ({}, {} nodes, no loss)",
        probe_order_key(p.probe_order),
        p.nodes
    );
    let full = match floor {
        Some((w, min)) => format!(
            "; full detection comes at least {w} periods after it (no suspicion timer runs shorter than α·max(1, log10 n)·T = {min} ticks), so at least {:.2} on average. The analysis gives no expected full detection: the suspicion timeout shrinks with confirmations, and the death then spreads by gossip",
            expected + w as f64
        ),
        None => "; without suspicion a crash is declared dead at its first detection, and the analysis gives no line for full detection".into(),
    };
    let second = match p.compare {
        Compare::None => "",
        Compare::Heartbeat => " (outlined: heartbeat gossip with phi accrual)",
        Compare::LifeguardOff => " (outlined: Lifeguard off)",
    };
    format!("{first}{full}. Bars: first detection (orange) and full detection (red) of each crash{second}.")
}

/// The chart's numbers, exactly, with the analysis the canvases drew.
pub fn chart_note(run: &Run, canvases: &super::paint::Canvases) -> Html {
    let expected = canvases.expected.1;
    let e = run.engine();
    let r = run.timeline.round() as usize;
    let main = totals(&run.timeline.records()[..r.min(run.timeline.horizon() as usize)]);
    let lines: Vec<Html> = e
        .cluster()
        .views()
        .detections()
        .iter()
        .rev()
        .take(super::chart::DETECTIONS_DRAWN_MAX)
        .map(|d| html! { <li class="detection">{ detection_line(d) }</li> })
        .collect();
    let cmp = run.params.run.compare;
    let compare = run.compare_records().map(|c| totals(&c[..r.min(c.len())]));
    let bytes = |recs: &[RoundRecord], hb: bool| {
        format!(
            "{:.1}",
            detector_bytes_per_member(&recs[..r.min(recs.len())], hb)
        )
    };
    let main_bytes = bytes(run.timeline.records(), false);
    let compare_bytes = run
        .compare_records()
        .map(|c| bytes(c, cmp == Compare::Heartbeat));
    let compare_detections: Vec<Html> = run
        .compare
        .iter()
        .flat_map(|c| {
            c.model()
                .cluster()
                .views()
                .detections()
                .iter()
                .rev()
                .take(super::chart::DETECTIONS_DRAWN_MAX)
        })
        .map(
            |d| html! { <li class="detection">{ detection_line(&detection_at(d, r as u32)) }</li> },
        )
        .collect();
    let second = match cmp {
        Compare::Heartbeat => "The same nodes, loss, seed and actions with heartbeat gossip and phi accrual instead of SWIM (dashed lines): ",
        _ => "The same run with Lifeguard off (dashed lines): ",
    };
    html! {
        <div id="chart-note" class="caption">
            <p id="analysis">{ analysis_words(run, expected, canvases.full_floor) }</p>
            <ul id="detections">{ for lines }</ul>
            <p>{ format!("Periods 1 to {r}, lifeguard={} (solid lines): ", lifeguard_key(run.params.run.lifeguard)) }
                { false_counts(&main, "") }</p>
            { for compare.map(|c| html! {
                <p>{ second }{ false_counts(&c, "-off") }</p>
            }) }
            { for (cmp == Compare::Heartbeat).then(|| html! { <ul id="detections-off">{ for compare_detections.clone() }</ul> }) }
            <p>{ "Failure detector traffic: " }<span id="bytes-per-member">{ main_bytes }</span>
                { " bytes per member per period" }
                { for compare_bytes.map(|b| html! { <>{ ", the second run " }<span id="bytes-per-member-off">{ b }</span></> }) }
                { "." }</p>
        </div>
    }
}

/// A run's false positives in words, healthy members apart from the slow node, each number in
/// a span whose id ends in `suffix` (the e2e tests read them).
fn false_counts(t: &Totals, suffix: &str) -> Html {
    let span = |id: &str, v: u64| html! { <span id={format!("{id}{suffix}")}>{ v }</span> };
    html! { <>
        { "healthy members declared dead " }{ span("healthy-deaths", t.healthy_deaths()) }
        { ", the slow node declared dead " }{ span("slow-deaths", t.false_deaths_of_slow) }
        { "; healthy members suspected " }{ span("healthy-suspicions", t.healthy_suspicions()) }
        { ", the slow node suspected " }{ span("slow-suspicions", t.false_suspicions_of_slow) }
        { " (all false deaths " }{ span("false-deaths", t.false_deaths) }
        { ", all false suspicions " }{ span("false-suspicions", t.false_suspicions) }{ ")." }
    </> }
}

/// Lifeguard's parts: (the words on the page, what the part does, its switch).
type Part = (
    &'static str,
    &'static str,
    fn(&mut LifeguardConfig) -> &mut bool,
);

/// Lifeguard's four parts, each a checkbox named in words (the link's `lg=` is unchanged: `on`,
/// `off` or the letters `hndb`, so every old link opens as it did).
const LIFEGUARD_PARTS: [Part; 4] = [
    (
        "local health",
        "a node that misses acks stretches its own probe timeout and period",
        |l| &mut l.local_health,
    ),
    (
        "nack",
        "ping-req helpers say when the target did not answer, so a slow requester can tell",
        |l| &mut l.nack,
    ),
    (
        "dynamic suspicion",
        "the suspicion timeout starts long and shrinks as other members confirm",
        |l| &mut l.dynamic_suspicion,
    ),
    (
        "buddy",
        "a ping to a suspect member tells it, so it refutes at once",
        |l| &mut l.buddy,
    ),
];

/// The Lifeguard checkboxes; a change sends the whole `lg=` value.
fn lifeguard_parts(l: LifeguardConfig, link: &html::Scope<MembershipLab>) -> Html {
    let boxes = LIFEGUARD_PARTS.iter().enumerate().map(|(i, &(words, what, part))| {
        let mut toggled = l;
        let on = *part(&mut toggled);
        *part(&mut toggled) = !on;
        let cb = link.callback(move |_: Event| Msg::Param("lg", lifeguard_key(toggled)));
        html! {
            <label title={what}><input type="checkbox" id={format!("lg-{}", "hndb".as_bytes()[i] as char)}
                checked={on} onchange={cb} />{ words }</label>
        }
    });
    html! {
        <fieldset id="p-lg" class="lifeguard"><legend>{ "Lifeguard" }</legend>{ for boxes }</fieldset>
    }
}

/// The run's fields, each a link field.
pub fn parameters(run: &Run, link: &html::Scope<MembershipLab>) -> Html {
    let r = &run.params.run;
    let field = |key: &'static str, label: &str, value: String| {
        let cb = link.callback(move |ev: Event| {
            Msg::Param(key, ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        crate::shell::teacher::by_link(
            key,
            html! { <label>{ label }<input id={format!("p-{key}")} value={value} onchange={cb} size="6" /></label> },
        )
    };
    html! {
        <section class="params" aria-label="Parameters">
            { field("n", "Nodes ", r.nodes.to_string()) }
            { field("t", "Period (ticks) ", r.period_ticks.to_string()) }
            { field("pt", "Probe timeout (ticks) ", r.probe_timeout_ticks.to_string()) }
            { field("loss", "Loss (%) ", r.loss_percent.to_string()) }
            { field("k", "Indirect probes k ", r.indirect.to_string()) }
            { field("sus", "Suspicion (0/1) ", u8::from(r.suspicion).to_string()) }
            { crate::shell::teacher::by_link("lg", lifeguard_parts(r.lifeguard, link)) }
            { field("po", "Probe order (rr, uniform) ", probe_order_key(r.probe_order).to_string()) }
            { field("cmp", "Second run (0, 1 Lifeguard off, hb heartbeats) ", r.compare.key().to_string()) }
            { field("seed", "Seed ", r.seed.to_string()) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lifeguard_checkbox_switches_its_own_letter_of_the_link() {
        for (i, &(words, _, part)) in LIFEGUARD_PARTS.iter().enumerate() {
            let letter = &"hndb"[i..i + 1];
            let mut l = LifeguardConfig::OFF;
            *part(&mut l) = true;
            assert_eq!(lifeguard_key(l), letter, "{words}");
            let mut l = LifeguardConfig::ON;
            *part(&mut l) = false;
            assert_eq!(lifeguard_key(l), "hndb".replace(letter, ""), "{words}");
        }
    }
}
