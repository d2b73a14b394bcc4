//! The catalogue page (`?catalogue=1`): every lesson and every challenge with its title, one
//! line, its student link and its teacher link (`notes=1`, which shows the teacher notes beside
//! it), and the teacher notes behind a disclosure, for a teacher choosing what to set.
//!
//! How it is driven: the shell shows it instead of a lab when the link asks for it (as it does
//! the grading page); the help dialog links to it. It reads only the catalogues
//! (`lessons::LESSONS`, `gossip_core::challenge::CHALLENGES`) and the notes
//! (`lessons::notes`), so a new lesson or challenge appears here by being added there.

use yew::prelude::*;

use super::notes::{self, Notes};
use super::LESSONS;

/// One row: an id for the page, a title, the two links and the notes.
fn entry(id: String, title: &str, link: String, notes: Option<&Notes>) -> Html {
    let teacher = format!("{link}&notes=1");
    html! {
        <li id={id} class="catalogue-entry">
            <h3 class="entry-title">{ title.to_string() }</h3>
            <p class="catalogue-summary">{ notes.map(|n| n.summary).unwrap_or_default() }</p>
            <p class="controls">
                <a class="student-link" href={link}>{ "Student link" }</a>
                <a class="teacher-link" href={teacher}>{ "Teacher link (with notes)" }</a>
            </p>
            { for notes.map(|n| html! {
                <details class="catalogue-notes">
                    <summary>{ "Teacher notes" }</summary>
                    { notes::body(n) }
                </details>
            }) }
        </li>
    }
}

/// The page.
#[function_component(CataloguePage)]
pub fn catalogue_page() -> Html {
    // The page's static "loading" line has done its job (a lab removes it when it starts).
    use_effect_with((), |_| {
        let loading = crate::shell::dom::window()
            .document()
            .and_then(|d| d.get_element_by_id("loading"));
        if let Some(loading) = loading {
            loading.remove();
        }
    });
    let lessons = LESSONS.iter().map(|l| {
        entry(
            format!("cat-lesson-{}", l.key),
            l.title,
            format!("?lesson={}", l.key),
            notes::find(l.key),
        )
    });
    let challenges = gossip_core::challenge::CHALLENGES.iter().map(|c| {
        entry(
            format!("cat-ch-{}", c.id),
            c.title,
            format!("?ch={}", c.id),
            notes::find(c.id),
        )
    });
    html! {
        <section id="catalogue" class="catalogue" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">{ "Lessons and challenges" }</h2>
            <p class="hint">{ "Each has a student link and a teacher link that shows the teacher notes beside it. Add lock=, hide=, play=1 or proj=1 to a link to lock or hide controls, start playing or open in projector mode (the help lists them)." }</p>
            <h2>{ "Lessons" }</h2>
            <ul id="catalogue-lessons">{ for lessons }</ul>
            <h2>{ "Challenges" }</h2>
            <ul id="catalogue-challenges">{ for challenges }</ul>
        </section>
    }
}
