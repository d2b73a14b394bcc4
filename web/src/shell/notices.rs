//! Notices: what the page tells the user it did with their link or their action (a value
//! clamped, an action refused, a fork that dropped actions). A bounded, de-duplicated list:
//! holding a key that is refused on every repeat would otherwise add a line per repeat, without
//! end. A notice equal to one shown moves to the newest place and shows how many times it was
//! given; beyond [`NOTICES_MAX`] the oldest go.

use yew::prelude::*;

/// Notices shown at most; more push out the oldest.
pub const NOTICES_MAX: usize = 8;

/// One notice and how many times it was given since it was last dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// What the page says.
    pub text: String,
    /// Times given (at least 1).
    pub count: u32,
}

/// The notices being shown, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notices {
    items: Vec<Notice>,
}

impl Notices {
    /// Adds `text`, or moves an equal notice to the newest place and counts it again.
    pub fn push(&mut self, text: String) {
        let count = match self.items.iter().position(|n| n.text == text) {
            Some(i) => self.items.remove(i).count.saturating_add(1),
            None => 1,
        };
        self.items.push(Notice { text, count });
        if self.items.len() > NOTICES_MAX {
            self.items.remove(0);
        }
        debug_assert!(self.items.len() <= NOTICES_MAX);
    }

    /// Forgets them all (the Dismiss button).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The notices, oldest first.
    pub fn items(&self) -> &[Notice] {
        &self.items
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl Extend<String> for Notices {
    fn extend<I: IntoIterator<Item = String>>(&mut self, iter: I) {
        for n in iter {
            self.push(n);
        }
    }
}

/// What [`NoticeList`] shows.
#[derive(Properties, PartialEq)]
pub struct NoticeListProps {
    /// The notices.
    pub notices: Notices,
    /// The lab's note on its last restart, shown last and dismissed with the rest.
    pub restart_note: Option<String>,
    /// The Dismiss button.
    pub on_dismiss: Callback<()>,
}

/// The notices box, or nothing when there is nothing to say.
#[function_component(NoticeList)]
pub fn notice_list(p: &NoticeListProps) -> Html {
    if p.notices.is_empty() && p.restart_note.is_none() {
        return html! {};
    }
    let dismiss = p.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div id="notices" class="notices" role="status">
            <ul>
                { for p.notices.items().iter().map(|n| html! {
                    <li class="notice">{ &n.text }{ for (n.count > 1).then(|| format!(" (×{})", n.count)) }</li>
                }) }
                { for p.restart_note.iter().map(|n| html! { <li id="restart-note" class="notice restart">{ n }</li> }) }
            </ul>
            <button class="small" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_notice_is_shown_once_with_its_count_in_the_newest_place() {
        let mut n = Notices::default();
        n.push("a".into());
        n.push("b".into());
        n.push("a".into());
        n.push("a".into());
        let shown: Vec<(&str, u32)> = n
            .items()
            .iter()
            .map(|x| (x.text.as_str(), x.count))
            .collect();
        assert_eq!(shown, [("b", 1), ("a", 3)]);
    }

    #[test]
    fn the_list_is_bounded_and_the_oldest_notices_go_first() {
        let mut n = Notices::default();
        for i in 0..1_000 {
            n.push(format!("refused {i}"));
        }
        assert_eq!(n.items().len(), NOTICES_MAX);
        assert_eq!(
            n.items()[0].text,
            format!("refused {}", 1_000 - NOTICES_MAX)
        );
        assert_eq!(n.items()[NOTICES_MAX - 1].text, "refused 999");
    }
}
