//! A scenario's caption, as the first minute needs it: plain words first, then the numbers,
//! formulas and sources behind "More", and the terms explained where they appear. Captions are
//! written in the glossary's markup (`[round]`, `[push|pushes]`,
//! [`crate::lessons::glossary`]): each linked term is an `<abbr>` whose title is its
//! definition, and the "More" part lists the definitions of the terms the caption uses, since a
//! title alone is not reachable by keyboard or read by every screen reader.

use yew::prelude::*;

use crate::lessons::glossary::{self, prose};

/// A caption's two parts, in the glossary's markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaptionText {
    /// What to look at, in plain words.
    pub plain: &'static str,
    /// The numbers, formulas and sources behind them ("" for none).
    pub more: &'static str,
}

/// What [`Caption`] shows.
#[derive(Properties, PartialEq)]
pub struct CaptionProps {
    /// The plain part (the glossary's markup).
    pub plain: AttrValue,
    /// The part behind "More" ("" for none).
    #[prop_or_default]
    pub more: AttrValue,
}

/// The caption: `#caption`, its plain paragraph, and `#caption-more`, a closed "More" with
/// the details and the terms used.
#[function_component(Caption)]
pub fn caption(p: &CaptionProps) -> Html {
    let more = (!p.more.is_empty()).then(|| {
        html! {
            <details id="caption-more" class="caption-more">
                <summary>{ "More: numbers and sources" }</summary>
                <p>{ prose(&p.more, &[]) }</p>
                { terms(&[p.plain.as_str(), p.more.as_str()]) }
            </details>
        }
    });
    html! {
        <div id="caption" class="caption">
            <p>{ prose(&p.plain, &[]) }</p>
            { for more }
        </div>
    }
}

/// The definitions of the terms `texts` link, each once, in order of first use.
fn terms(texts: &[&str]) -> Html {
    let mut seen: Vec<&str> = Vec::new();
    for text in texts {
        for (term, _) in glossary::links(text) {
            if !seen.contains(&term) {
                seen.push(term);
            }
        }
    }
    if seen.is_empty() {
        return Html::default();
    }
    let rows = seen.iter().map(|t| {
        let d = glossary::define(t).unwrap_or_default();
        html! { <><dt>{ *t }</dt><dd>{ d }</dd></> }
    });
    html! { <dl class="caption-terms">{ for rows }</dl> }
}

/// The markup errors of caption `text`: terms the glossary does not define and brackets that
/// do not close (for the tests of every lab's captions).
pub fn markup_errors(text: &str) -> Vec<String> {
    let mut errors: Vec<String> = glossary::links(text)
        .into_iter()
        .filter(|(t, _)| glossary::define(t).is_none())
        .map(|(t, _)| format!("[{t}] is not in the glossary"))
        .collect();
    if text.matches('[').count() != text.matches(']').count() {
        errors.push("a bracket does not close".into());
    }
    errors
}
