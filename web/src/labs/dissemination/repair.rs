//! What the page shows of anti-entropy repair (`ae=`, `aei=`): its two fields in the
//! parameters, the legend of the canvas shaded by what each node lacks, and the small repair
//! chart (live nodes lacking at least one newest version, and repair's bytes, per round).
//! The counts are the model's ([`super::model::Engine::lacking`]); the chart's geometry is a
//! pure function of them ([`RepairSeries::points`]), host-tested.

use gossip_core::link::dissemination::{RepairStrategy, REPAIR_EVERY_MAX, REPAIR_EVERY_MIN};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::draw::lacking::{shade_words, LACK_SHADES};
use super::params::Params;
use super::run::Run;

/// The chart's size in SVG user units (it scales with the column).
const CHART_W: f64 = 300.0;
const CHART_H: f64 = 90.0;

/// What [`RepairFields`] shows and tells.
#[derive(Properties, PartialEq)]
pub struct RepairFieldsProps {
    /// The run's parameters.
    pub params: Params,
    /// A field changed: its link name and value.
    pub on_param: Callback<(&'static str, String)>,
}

/// The repair fields of the parameters: the strategy (or off) and the gap between sessions.
#[function_component(RepairFields)]
pub fn repair_fields(p: &RepairFieldsProps) -> Html {
    let run = &p.params.run;
    let on = run.repair != RepairStrategy::Off;
    let pick = p.on_param.reform(|ev: Event| {
        (
            "ae",
            ev.target_unchecked_into::<HtmlSelectElement>().value(),
        )
    });
    let every = p.on_param.reform(|ev: Event| {
        (
            "aei",
            ev.target_unchecked_into::<HtmlInputElement>().value(),
        )
    });
    let term = crate::lessons::glossary::define("anti-entropy");
    html! { <>
        <label title="Besides the mode, every few gossip intervals each node compares its whole store with one random peer and fetches what it lacks">
            <abbr class="term" title={term}>{ "Anti-entropy" }</abbr>{ " repair " }
            <select id="repair" onchange={pick}>
                { for RepairStrategy::ALL.into_iter().map(|s| html! {
                    <option value={s.key()} selected={s == run.repair}>{ s.title() }</option>
                }) }
            </select>
        </label>
        <label title={(!on).then_some("Turn repair on to set how often it runs")}>{ "Repair every " }
            <input id="repair-every" type="number" min={REPAIR_EVERY_MIN.to_string()} max={REPAIR_EVERY_MAX.to_string()}
                value={run.repair_every.to_string()} disabled={!on} onchange={every} />
            { " gossip intervals" }
        </label>
    </> }
}

/// The legend of the canvas shaded by what each node lacks.
pub fn legend() -> Html {
    html! {
        <ul id="lacking-legend" class="legend" aria-label="Legend">
            <li><span class="sw filled"></span>{ "holds every newest version" }</li>
            { for LACK_SHADES.iter().enumerate().map(|(i, shade)| html! {
                <li><span class="sw lack" style={format!("background: {shade}")}></span>{ shade_words(i) }</li>
            }) }
            <li><span class="sw down">{ "×" }</span>{ "crashed (cross)" }</li>
            <li><span class="sw cut"></span>{ "cut off by a partition (shaded)" }</li>
            <li><span class="sw msg"></span>{ "message bringing the tracked key's newest version" }</li>
        </ul>
    }
}

/// Per round, live nodes lacking at least one newest version and repair's bytes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepairSeries {
    /// Nodes lacking, rounds `0..=r` (the model's series, up to the round shown).
    pub lacking: Vec<u32>,
    /// Repair bytes sent in rounds `1..=horizon` (index 0 is round 1).
    pub bytes: Vec<u64>,
    /// Nodes in the cluster.
    pub nodes: u32,
}

impl RepairSeries {
    /// The series of `run` as shown now.
    pub fn of(run: &Run) -> RepairSeries {
        RepairSeries {
            lacking: run.engine().lacking_series().to_vec(),
            bytes: run
                .timeline
                .records()
                .iter()
                .map(|r| r.anti_entropy.bytes_sent)
                .collect(),
            nodes: run.params.run.nodes,
        }
    }

    /// Rounds on the x axis: the longer series, at least 10.
    pub fn rounds(&self) -> usize {
        self.lacking.len().max(self.bytes.len() + 1).max(10)
    }

    /// The SVG polyline points of the nodes lacking (0 to all nodes, bottom to top) and of
    /// the bytes per round (0 to the largest), over [`RepairSeries::rounds`].
    pub fn points(&self) -> (String, String) {
        let x = |i: usize| i as f64 * CHART_W / (self.rounds() - 1) as f64;
        let y = |v: f64, max: f64| CHART_H - v / max.max(1.0) * CHART_H;
        let nodes = f64::from(self.nodes);
        let lacking = self.lacking.iter().enumerate();
        let lacking = lacking.map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(f64::from(v), nodes)));
        let most = self.bytes.iter().copied().max().unwrap_or(0) as f64;
        let bytes = self.bytes.iter().enumerate();
        let bytes = bytes.map(|(i, &b)| format!("{:.1},{:.1}", x(i + 1), y(b as f64, most)));
        (
            lacking.collect::<Vec<_>>().join(" "),
            bytes.collect::<Vec<_>>().join(" "),
        )
    }
}

/// The repair chart under the main chart, for runs with repair on.
pub fn chart(run: &Run) -> Html {
    if run.params.run.repair == RepairStrategy::Off {
        return html! {};
    }
    let s = RepairSeries::of(run);
    let (lacking, bytes) = s.points();
    let now = s.lacking.last().copied().unwrap_or(0);
    let total: u64 = s.bytes.iter().sum();
    html! {
        <section class="group repair-group" aria-labelledby="repair-title">
            <h2 id="repair-title" class="group-title">{ "Repair" }</h2>
            <svg id="repair-chart" viewBox={format!("-2 -2 {} {}", CHART_W + 4.0, CHART_H + 4.0)} role="img"
                aria-label="Chart: nodes lacking at least one newest version, and anti-entropy bytes, per round">
                <rect x="0" y="0" width={CHART_W.to_string()} height={CHART_H.to_string()} fill="none" stroke="#d4d4cf" />
                <polyline points={bytes} fill="none" stroke="#CC79A7" stroke-width="1.5" />
                <polyline points={lacking} fill="none" stroke="#0072B2" stroke-width="2.5" />
            </svg>
            <p id="repair-status" class="counters">{ format!(
                "Nodes lacking a newest version: {now} of {} (blue, 0 to {} nodes). Anti-entropy bytes per round (pink, to the largest round): {total} in all so far.",
                s.nodes, s.nodes
            ) }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repair_chart_maps_all_nodes_lacking_to_the_top_and_none_to_the_bottom() {
        let s = RepairSeries {
            lacking: vec![4, 2, 0],
            bytes: vec![10, 20],
            nodes: 4,
        };
        assert_eq!(s.rounds(), 10);
        let (lacking, bytes) = s.points();
        assert_eq!(lacking, "0.0,0.0 33.3,45.0 66.7,90.0");
        assert_eq!(bytes, "33.3,45.0 66.7,0.0");
        let empty = RepairSeries::default().points();
        assert_eq!(empty, (String::new(), String::new()));
    }
}
