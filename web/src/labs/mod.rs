//! The labs, and the one interface the shell knows them by: [`Lab`].
//!
//! A closed set (an enum, not trait objects): adding a lab is a folder under `labs/` and one arm
//! in each method below. Each lab is a Yew component taking [`LabProps`]; it owns its model (a
//! [`crate::shell::timeline::Model`] over the cluster), its link fields, its drawing, its
//! inspector, its chart and its scenarios, and it renders everything below the page header.

use yew::prelude::*;

use crate::shell::keys::Keys;

pub mod anti_entropy;
pub mod dissemination;
pub mod membership;
pub mod teach;

/// What the shell gives every lab.
#[derive(Clone, Properties, PartialEq)]
pub struct LabProps {
    /// Whether the page is an embed (a figure in a post: no header, no help, fewer controls).
    pub embed: bool,
    /// The keyboard switch: the lab's shortcuts are off while it is off.
    pub keys: Keys,
    /// Whether projector mode is on (`shell::teacher`): a change renders the lab again, so its
    /// canvases repaint with their marks' new size.
    pub projector: bool,
}

/// A lab of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lab {
    /// How a write spreads: anti-entropy and rumor mongering on the cluster simulator.
    Dissemination,
    /// Who is alive: SWIM with Lifeguard as every node's membership.
    Membership,
    /// Repairing a pair of replicas: Merkle trees, digests, full state and rateless symbols.
    AntiEntropy,
}

impl Lab {
    /// Every lab, in the picker's order.
    pub const ALL: [Lab; 3] = [Lab::Dissemination, Lab::Membership, Lab::AntiEntropy];

    /// The lab's name in the picker's values.
    pub fn key(self) -> &'static str {
        match self {
            Lab::Dissemination => "dissemination",
            Lab::Membership => "membership",
            Lab::AntiEntropy => "anti-entropy",
        }
    }

    /// The lab's title.
    pub fn title(self) -> &'static str {
        match self {
            Lab::Dissemination => "Dissemination",
            Lab::Membership => "Membership",
            Lab::AntiEntropy => "Anti-entropy",
        }
    }

    /// The lab a link opens: `lab=membership`, or a scenario (`s=`) only the membership lab
    /// has; anything else is the dissemination lab (old links replay unchanged).
    pub fn from_query(search: &str) -> Lab {
        let pairs = gossip_core::link::pairs(search);
        let value = |k: &str| {
            pairs
                .iter()
                .rev()
                .find(|(x, _)| x == k)
                .map(|(_, v)| v.as_str())
        };
        if let Some(lab) = value("lab") {
            return Lab::ALL
                .into_iter()
                .find(|l| l.key() == lab)
                .unwrap_or(Lab::Dissemination);
        }
        let theirs = |s: &str| {
            gossip_core::link::membership::Scenario::from_key(s).is_some()
                && gossip_core::link::dissemination::Scenario::from_key(s).is_none()
        };
        match value("s") {
            Some(s) if theirs(s) => Lab::Membership,
            _ => Lab::Dissemination,
        }
    }

    /// The query that opens this lab with its defaults (the picker's choice): the first lab
    /// needs none.
    pub fn bare_link(self) -> &'static str {
        match self {
            Lab::Dissemination => "",
            Lab::Membership => "?lab=membership",
            Lab::AntiEntropy => "?lab=anti-entropy",
        }
    }

    /// Whether the link `search` asks for the embed.
    pub fn is_embed(self, search: &str) -> bool {
        match self {
            Lab::Dissemination => dissemination::url::parse(search).0.embed,
            Lab::Membership => membership::url::parse(search).0.embed,
            Lab::AntiEntropy => anti_entropy::url::parse(search).0.embed,
        }
    }

    /// The help dialog's rows: key (or gesture) and what it does.
    pub fn help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lab::Dissemination => dissemination::keys::HELP,
            Lab::Membership => membership::keys::HELP,
            Lab::AntiEntropy => anti_entropy::keys::HELP,
        }
    }

    /// The help dialog's second part: what the lab's link may hold, for a hand-written link.
    pub fn link_help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lab::Dissemination => dissemination::url::LINK_HELP,
            Lab::Membership => membership::url::LINK_HELP,
            Lab::AntiEntropy => anti_entropy::url::LINK_HELP,
        }
    }

    /// The lab's component.
    pub fn view(self, props: LabProps) -> Html {
        match self {
            Lab::Dissemination => html! { <dissemination::DisseminationLab ..props /> },
            Lab::Membership => html! { <membership::MembershipLab ..props /> },
            Lab::AntiEntropy => html! { <anti_entropy::AntiEntropyLab ..props /> },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_the_lab_it_names_or_whose_scenario_it_names() {
        assert_eq!(Lab::from_query("?lab=membership&n=5"), Lab::Membership);
        assert_eq!(Lab::from_query("?lab=anti-entropy&d=3"), Lab::AntiEntropy);
        assert_eq!(Lab::from_query("?s=slow"), Lab::Membership);
        assert_eq!(Lab::from_query("?s=epidemic&n=200"), Lab::Dissemination);
        assert_eq!(Lab::from_query(""), Lab::Dissemination);
        assert_eq!(Lab::from_query("?lab=nope"), Lab::Dissemination);
        // A scenario both labs know would belong to the first (none does today).
        assert_eq!(Lab::from_query("?s=custom"), Lab::Dissemination);
        for lab in Lab::ALL {
            assert_eq!(Lab::from_query(lab.bare_link()), lab);
        }
    }
}
