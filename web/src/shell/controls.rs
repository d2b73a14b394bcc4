//! The transport: Play (or Replay), Back, Step and Reset, the note saying why a complete run
//! cannot advance, and the timeline and speed sliders. A component of its own that knows
//! nothing of the lab: the lab gives it the run's position and hears [`Transport`] commands.
//! The recorded actions are marked along the timeline (a button per action at its round, named
//! by what it does, which seeks there: [`crate::shell::actions::marks`]).

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the transport asks the lab to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Transport {
    /// Start or stop playing (or, on a complete run in the embed, replay it).
    TogglePlay,
    /// One round back.
    Back,
    /// One round forward.
    Step,
    /// Back to round 0.
    Reset,
    /// Go to a round (the timeline slider).
    Seek(u32),
    /// Play at the speed of this index (the speed slider).
    Speed(usize),
}

/// Where the run is, as the transport shows it.
#[derive(Properties, PartialEq)]
pub struct TransportProps {
    /// Whether the run is playing.
    pub playing: bool,
    /// Whether the run can go further.
    pub can_advance: bool,
    /// Whether Play is a Replay (the embed on a complete run).
    pub replay: bool,
    /// The round viewed and the furthest computed.
    pub round: u32,
    /// The furthest round computed (at least `round`).
    pub horizon: u32,
    /// The speeds offered, in rounds per second at 1x, and the chosen one's index.
    pub speeds: &'static [f64],
    /// The chosen speed's index into `speeds`.
    pub speed_index: usize,
    /// Why the run cannot advance and how to go on: the disabled buttons' titles and the note.
    pub done_title: String,
    /// The embed's transport: Play and Step only, then the children (its link to the lab).
    pub embed: bool,
    /// The commands.
    pub on: Callback<Transport>,
    /// The recorded actions' marks: each one's round and what it is.
    #[prop_or_default]
    pub marks: Vec<(u32, String)>,
    /// Shown after the embed's buttons.
    #[prop_or_default]
    pub children: Html,
}

/// The transport bar.
#[function_component(TransportBar)]
pub fn transport_bar(p: &TransportProps) -> Html {
    let send = |t: Transport| p.on.reform(move |_: MouseEvent| t);
    let (playing, can_advance) = (p.playing, p.can_advance);
    let play = if p.replay {
        html! {
            <button id="play" onclick={send(Transport::TogglePlay)}
                aria-keyshortcuts="Space"
                title="Play the run again from round 0 (Space)">{ "Replay" }</button>
        }
    } else {
        html! {
            <button id="play" onclick={send(Transport::TogglePlay)}
                disabled={!playing && !can_advance}
                aria-keyshortcuts="Space"
                title={if playing || can_advance { "Play or pause (Space)".to_string() } else { p.done_title.clone() }}>
                { if playing { "Pause" } else { "Play" } }
            </button>
        }
    };
    let step = html! {
        <button id="step" onclick={send(Transport::Step)} disabled={!can_advance}
            aria-keyshortcuts="ArrowRight"
            title={if can_advance { "Step forward one round (Right arrow)".to_string() } else { p.done_title.clone() }}>{ "Step" }</button>
    };
    if p.embed {
        return html! {
            <div class="controls">
                { play }{ step }
                { p.children.clone() }
            </div>
        };
    }
    let (round, horizon) = (p.round, p.horizon);
    let last = p.speeds.len() - 1;
    let speed = p.speeds[p.speed_index.min(last)];
    let done_note = (!playing && !can_advance).then(|| {
        html! { <p id="done" class="hint">{ &p.done_title }</p> }
    });
    let seek = p.on.reform(|ev: InputEvent| {
        Transport::Seek(
            ev.target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    let speed_input = p.on.reform(move |ev: InputEvent| {
        let i = ev
            .target_unchecked_into::<HtmlInputElement>()
            .value()
            .parse::<usize>();
        Transport::Speed(i.unwrap_or(2).min(last))
    });
    // A mark sits where the slider's thumb would be at its round: the thumb's centre runs from
    // half a thumb (8 px) in from either end. Marks past the rounds computed are not drawn.
    let marks = p.marks.iter().filter(|(r, _)| *r <= horizon).map(|(r, what)| {
        let f = f64::from(*r) / f64::from(horizon.max(1));
        html! {
            <button class="mark" style={format!("left: calc(8px + (100% - 16px) * {f:.4})")}
                data-round={r.to_string()} title={what.clone()} aria-label={format!("Go to {what}")}
                onclick={send(Transport::Seek(*r))}></button>
        }
    });
    // One block, laid out by the CSS: the buttons and the speed on one row, the timeline
    // under them across the whole width (on a phone, the timeline and the speed share a row).
    html! {
        <div class="transport" role="group" aria-label="Transport">
            <div class="controls buttons">
                { play }
                <button id="back" disabled={round == 0} onclick={send(Transport::Back)} aria-keyshortcuts="ArrowLeft" title="Step back one round (Left arrow)">{ "Back" }</button>
                { step }
                <button id="reset" onclick={send(Transport::Reset)} aria-keyshortcuts="R" title="Back to round 0 (R)">{ "Reset" }</button>
            </div>
            <label class="slider round"><span class="slider-label">{ format!("Round {round}/{horizon} ") }</span>
                <span class="track">
                    <input id="timeline" type="range" min="0" max={horizon.to_string()} value={round.to_string()}
                        aria-label="Timeline: go to any computed round"
                        oninput={seek} />
                    if !p.marks.is_empty() {
                        <span class="marks" role="group" aria-label="Recorded actions">{ for marks }</span>
                    }
                </span>
            </label>
            <label class="slider speed"><span class="slider-label">{ format!("Speed {speed}x ") }</span>
                <input id="speed" type="range" min="0" max={last.to_string()} value={p.speed_index.to_string()}
                    aria-label="Playback speed" aria-valuetext={format!("{speed}x")}
                    oninput={speed_input} />
            </label>
            <div class="host done">{ done_note }</div>
        </div>
    }
}
