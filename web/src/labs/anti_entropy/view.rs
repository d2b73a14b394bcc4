//! The lab's markup, as free functions of what it shows: the caption (plain words, then the
//! formulas behind "more"), the trees with their transport and status, the running counts,
//! the entries that crossed, the parameters, the table of strategies and the chart's note.

use gossip_core::link::anti_entropy::{Run, StrategyKind};
use gossip_core::reconcile::{Report, Role};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::caption::{self, title};
use super::compare;
use super::model::Pair;
use super::sweep::{Sweep, TRIALS};
use super::Msg;
use crate::lessons::glossary::prose;

/// The caption and the formulas.
pub fn about() -> Html {
    html! {
        <section class="about" aria-label="About this lab">
            <p id="caption" class="caption">{ prose(caption::CAPTION, &[]) }</p>
            <details class="more">
                <summary>{ "More: formulas and sources" }</summary>
                <p>{ prose(caption::MORE, &[]) }</p>
            </details>
        </section>
    }
}

/// The transport: Play, Back, Step, Reset.
pub fn transport(
    link: &html::Scope<super::AntiEntropyLab>,
    k: u32,
    last: u32,
    playing: bool,
) -> Html {
    let send = |m: fn() -> Msg| link.callback(move |_: MouseEvent| m());
    html! {
        <div class="controls buttons" role="group" aria-label="Transport">
            <button id="play" onclick={send(|| Msg::TogglePlay)} disabled={!playing && k >= last}
                aria-keyshortcuts="Space" title="Play or pause the repair (Space)">{ if playing { "Pause" } else { "Play" } }</button>
            <button id="back" onclick={send(|| Msg::Back)} disabled={k == 0}
                aria-keyshortcuts="ArrowLeft" title="The turn before (Left arrow)">{ "Back" }</button>
            <button id="step" onclick={send(|| Msg::Step)} disabled={k >= last}
                aria-keyshortcuts="ArrowRight" title="The next turn (Right arrow)">{ "Step" }</button>
            <button id="reset" onclick={send(|| Msg::Reset)}
                aria-keyshortcuts="R" title="Back to before the repair (R)">{ "Reset" }</button>
        </div>
    }
}

/// `Turn k/N · strategy · front level l · …`: where the repair is.
pub fn status(pair: &Pair, k: u32) -> Html {
    let c = pair.counts(k);
    let front = match pair.front(k) {
        Some(l) => format!(" · differing nodes found down to level {l}"),
        None => String::new(),
    };
    let done = if k >= pair.turns() {
        " · repaired"
    } else {
        ""
    };
    let words = match pair.turn(k) {
        Some(t) => caption::turn_words(k, t),
        None => {
            let (keys, differ) = pair.difference;
            let from = match (&pair.run.source, pair.round) {
                (Some(s), Some(r)) => format!(
                    "A is node {} and B node {} of the cluster's run at round {r}. ",
                    s.a, s.b
                ),
                _ => String::new(),
            };
            format!("{from}Before the repair: the replicas differ in {differ} of {keys} keys. Step to start.")
        }
    };
    html! { <>
        <p id="status" class="status" aria-live="off">{ format!(
            "Turn {k}/{} · {}{front} · round trips {} · bytes {}{done}",
            pair.turns(), title(pair.run.strategy), c.round_trips(), c.bytes()
        ) }</p>
        <p id="turn-words" aria-live="polite">{ words }</p>
    </> }
}

/// The running counts, each side's sent figures and the total.
pub fn counts(c: &Report) -> Html {
    let row = |name: &str, id: &str, a: u64, b: u64| {
        html! { <tr id={id.to_string()}><th>{ name.to_string() }</th><td>{ a }</td><td>{ b }</td><td class="total">{ a + b }</td></tr> }
    };
    let (i, r) = (&c.initiator, &c.responder);
    html! {
        <table id="counts" class="view-table" aria-label="Running counts">
            <thead><tr><th></th><th>{ "A sent" }</th><th>{ "B sent" }</th><th>{ "both" }</th></tr></thead>
            <tbody>
                <tr id="c-rt"><th>{ "round trips" }</th><td colspan="2"></td><td class="total">{ c.round_trips() }</td></tr>
                { row("messages", "c-msg", i.messages_sent, r.messages_sent) }
                { row("hashes", "c-hash", i.hashes_sent, r.hashes_sent) }
                { row("coded symbols", "c-sym", i.symbols_sent, r.symbols_sent) }
                { row("(key, version) pairs", "c-ver", i.versions_sent, r.versions_sent) }
                { row("entries", "c-ent", i.entries_sent, r.entries_sent) }
                // Unneeded is counted by the receiver: what the other side sent in vain.
                { row("entries unneeded", "c-unneeded", r.entries_unneeded, i.entries_unneeded) }
                { row("bytes", "c-bytes", i.bytes_sent, r.bytes_sent) }
            </tbody>
        </table>
    }
}

/// The entries that crossed so far, with their direction.
pub fn crossed(pair: &Pair, k: u32) -> Html {
    let all = pair.crossed_upto(k);
    let list = |to: Role| {
        let keys: Vec<String> = all
            .iter()
            .filter(|c| c.to == to)
            .take(24)
            .map(|c| c.key.clone())
            .collect();
        let n = all.iter().filter(|c| c.to == to).count();
        let more = if n > keys.len() { ", …" } else { "" };
        match n {
            0 => "none".to_string(),
            _ => format!("{n} (keys {}{more})", keys.join(", ")),
        }
    };
    html! {
        <p id="crossed" class="caption">
            { format!("Entries that crossed and were needed, A → B: {} · B → A: {}", list(Role::Responder), list(Role::Initiator)) }
        </p>
    }
}

/// The parameters, each validated as the link is.
pub fn parameters(run: &Run, link: &html::Scope<super::AntiEntropyLab>) -> Html {
    let field = |key: &'static str, label: &str, value: String| {
        let cb = link.callback(move |ev: Event| {
            Msg::Param(key, ev.target_unchecked_into::<HtmlInputElement>().value())
        });
        crate::shell::teacher::by_link(
            key,
            html! { <label>{ label }<input id={format!("p-{key}")} value={value} onchange={cb} size="6" /></label> },
        )
    };
    let pick = link.callback(|ev: Event| {
        Msg::Param("st", ev.target_unchecked_into::<HtmlInputElement>().value())
    });
    let options = StrategyKind::ALL.into_iter().map(|s| {
        html! { <option value={s.key()} selected={s == run.strategy}>{ title(s) }</option> }
    });
    html! {
        <section class="params" aria-label="Parameters">
            { crate::shell::teacher::field("strategy", html! { <label>{ "Strategy " }<select id="p-st" onchange={pick}>{ for options }</select></label> }) }
            { field("n", "Keys n ", run.keys.to_string()) }
            { field("d", "Differences d ", run.diffs.to_string()) }
            { field("b", "Branching b ", run.shape.branching.to_string()) }
            { field("l", "Depth L ", run.shape.depth.to_string()) }
            { field("seed", "Seed ", run.seed.to_string()) }
            { field("src", "Take the pair from a dissemination link ", run.source.as_ref().map(|s| s.link.clone()).unwrap_or_default()) }
            { for run.source.as_ref().map(|s| html! { <>
                { field("r", "Cluster round ", s.round.to_string()) }
                { field("na", "Node A ", s.a.to_string()) }
                { field("nb", "Node B ", s.b.to_string()) }
            </> }) }
        </section>
    }
}

/// The same pair repaired by each strategy, the one shown highlighted.
pub fn strategies(rows: &[compare::Row], shown: StrategyKind) -> Html {
    let body = rows.iter().map(|r| {
        let class = (r.strategy == shown).then_some("shown");
        let cells = match r.report {
            Some(c) => html! { <>
                <td>{ c.round_trips() }</td><td>{ c.hashes() + c.symbols() }</td><td>{ c.entries() }</td>
                <td>{ c.entries_unneeded() }</td><td>{ c.bytes() }</td>
            </> },
            None => html! { <td colspan="5">{ "abandoned" }</td> },
        };
        html! { <tr id={format!("s-{}", r.strategy.key())} class={classes!(class)}><th>{ title(r.strategy) }</th>{ cells }</tr> }
    });
    html! {
        <section class="strategies" aria-label="The same pair by each strategy">
            <h3>{ "The same pair, repaired by each strategy" }</h3>
            <table id="strategies" class="view-table">
                <thead><tr><th>{ "strategy" }</th><th>{ "round trips" }</th><th>{ "hashes or symbols" }</th>
                    <th>{ "entries" }</th><th>{ "unneeded" }</th><th>{ "bytes" }</th></tr></thead>
                <tbody>{ for body }</tbody>
            </table>
        </section>
    }
}

/// The chart's note: what it shows, its progress, and its numbers in words.
pub fn chart_note(run: &Run, sweep: &Sweep) -> Html {
    let (done, all) = sweep.progress();
    let state = if sweep.is_done() {
        String::new()
    } else {
        format!(" Computing: {done} of {all} trials.")
    };
    let last = sweep.points().last().map(|(d, b)| {
        let words: Vec<String> = StrategyKind::ALL
            .iter()
            .zip(b)
            .map(|(k, v)| format!("{} {v:.0}", k.key()))
            .collect();
        format!(" At d = {d}: {} bytes.", words.join(", "))
    });
    html! {
        <p id="chart-note" class="caption">{ format!(
            "Bytes per repair against the differences d, both axes logarithmic, at n = {} keys and a {} × {} tree: the mean of {TRIALS} seeded trials per point. Dashed, in each strategy's colour: its model, the bytes derived from the wire formats (full state and digests exact; Merkle the expected hashes, buckets and entries; rateless about 1.35 symbols per differing item for large d, more for small d, in batches doubling from 16); \"The chart's numbers\" lists both.{}{state}",
            run.keys, run.shape.branching, run.shape.depth, last.unwrap_or_default()
        ) }</p>
    }
}

/// The chart's numbers as a table (for a screen reader, and for a test to read the lines):
/// per sampled `d`, each strategy's measured mean (blank until computed) and its model, the
/// very values the lines are drawn through (`data-model` holds the model unrounded).
pub fn chart_table(sweep: &Sweep) -> Html {
    let points = sweep.points();
    let rows = sweep.model().iter().enumerate().map(|(p, &(d, model))| {
        let measured = points.get(p).map(|(_, b)| *b);
        let cells = StrategyKind::ALL.iter().enumerate().map(|(i, k)| {
            let m = measured.map(|b| format!("{:.0}", b[i])).unwrap_or_default();
            html! { <>
                <td data-strategy={k.key()} data-measured={measured.map(|b| b[i].to_string())}>{ m }</td>
                <td data-strategy={k.key()} data-model={model[i].to_string()}>{ format!("{:.0}", model[i]) }</td>
            </> }
        });
        html! { <tr data-d={d.to_string()}><td>{ d }</td>{ for cells }</tr> }
    });
    let heads = StrategyKind::ALL
        .iter()
        .map(|k| html! { <><th>{ format!("{} measured", k.key()) }</th><th>{ format!("{} model", k.key()) }</th></> });
    html! {
        <details class="more chart-data">
            <summary>{ "The chart's numbers" }</summary>
            <table id="chart-data" class="view-table">
                <thead><tr><th>{ "d" }</th>{ for heads }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </details>
    }
}
