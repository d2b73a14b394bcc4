//! The labs, and the one interface the shell knows them by: [`Lab`].
//!
//! A closed set (an enum, not trait objects): adding a lab is a folder under `labs/` and one arm
//! in each method below. Each lab is a Yew component taking [`LabProps`]; it owns its model (a
//! [`crate::shell::timeline::Model`] over the cluster), its link fields, its drawing, its
//! inspector, its chart and its scenarios, and it renders everything below the page header.

use yew::prelude::*;

use crate::shell::keys::Keys;

pub mod dissemination;

/// What the shell gives every lab.
#[derive(Clone, Properties, PartialEq)]
pub struct LabProps {
    /// Whether the page is an embed (a figure in a post: no header, no help, fewer controls).
    pub embed: bool,
    /// The keyboard switch: the lab's shortcuts are off while it is off.
    pub keys: Keys,
}

/// A lab of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lab {
    /// How a write spreads: anti-entropy and rumor mongering on the cluster simulator.
    Dissemination,
}

impl Lab {
    /// Every lab, in the picker's order.
    pub const ALL: [Lab; 1] = [Lab::Dissemination];

    /// The lab's name in the picker's values.
    pub fn key(self) -> &'static str {
        match self {
            Lab::Dissemination => "dissemination",
        }
    }

    /// The lab's title.
    pub fn title(self) -> &'static str {
        match self {
            Lab::Dissemination => "Dissemination",
        }
    }

    /// The lab a link opens. Every scenario (`s=`) of today belongs to the dissemination lab;
    /// the next labs will claim theirs here.
    pub fn from_query(_search: &str) -> Lab {
        Lab::Dissemination
    }

    /// Whether the link `search` asks for the embed.
    pub fn is_embed(self, search: &str) -> bool {
        match self {
            Lab::Dissemination => dissemination::url::parse(search).0.embed,
        }
    }

    /// The help dialog's rows: key (or gesture) and what it does.
    pub fn help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lab::Dissemination => dissemination::keys::HELP,
        }
    }

    /// The help dialog's second part: what the lab's link may hold, for a hand-written link.
    pub fn link_help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lab::Dissemination => dissemination::url::LINK_HELP,
        }
    }

    /// The lab's component.
    pub fn view(self, props: LabProps) -> Html {
        match self {
            Lab::Dissemination => html! { <dissemination::DisseminationLab ..props /> },
        }
    }
}
