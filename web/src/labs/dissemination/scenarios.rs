//! The scenarios: the picker above the stage, and when an edited run stops being its scenario
//! (picking one is [`super::run::Run::scenario`]). The scenarios themselves
//! (parameters, titles, captions) are [`Scenario`] in `params.rs`, which the link encodes.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::params::Scenario;

/// What [`ScenarioPicker`] shows.
#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    /// The scenario of the run.
    pub scenario: Scenario,
    /// A scenario picked, by its link name.
    pub on_pick: Callback<String>,
}

/// The scenario picker above the stage (scenarios not available yet are shown disabled).
#[function_component(ScenarioPicker)]
pub fn scenario_picker(p: &ScenarioPickerProps) -> Html {
    let options = Scenario::ALL.into_iter().map(|s| {
        let label = match s.unavailable() {
            Some(why) => format!("{} ({why})", s.title()),
            None => s.title().to_string(),
        };
        html! { <option value={s.key()} selected={s == p.scenario} disabled={s.unavailable().is_some()}>{ label }</option> }
    });
    let pick = p
        .on_pick
        .reform(|ev: Event| ev.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <div class="scenario">
            <label for="scenario">{ "Scenario " }</label>
            <select id="scenario" onchange={pick}>
                { for options }
            </select>
        </div>
    }
}
