//! The names a teacher's link (`lock=`, `hide=`; `gossip_core::link::teacher`) may give each
//! lab's controls: every parameter by a plain word and the link fields it sets, and the groups
//! a link may hide. `shell::teacher` checks a link's names against these and the labs' markup
//! asks it by the same names, so a name here is a name the page honours.

use super::Lab;
use crate::shell::teacher::Names;

/// The dissemination lab's.
pub const DISSEMINATION: Names = Names {
    params: &[
        ("scenario", &["s"]),
        ("nodes", &["n"]),
        ("fanout", &["k"]),
        ("mode", &["m"]),
        ("loss", &["loss"]),
        ("stop", &["stop"]),
        ("rumor-k", &["rk"]),
        ("latency", &["lat", "latmax"]),
        ("gossip", &["gi"]),
        ("membership", &["mem"]),
        ("repair", &["ae", "aei"]),
        ("seed", &["seed"]),
    ],
    groups: &["node-actions", "actions", "params", "chart", "share"],
};

/// The membership lab's.
pub const MEMBERSHIP: Names = Names {
    params: &[
        ("scenario", &["s"]),
        ("nodes", &["n"]),
        ("period", &["t"]),
        ("timeout", &["pt"]),
        ("loss", &["loss"]),
        ("indirect", &["k"]),
        ("suspicion", &["sus"]),
        ("lifeguard", &["lg"]),
        ("order", &["po"]),
        ("compare", &["cmp"]),
        ("seed", &["seed"]),
    ],
    groups: &["matrix", "actions", "params", "chart", "share"],
};

/// The anti-entropy lab's.
pub const ANTI_ENTROPY: Names = Names {
    params: &[
        ("strategy", &["st"]),
        ("keys", &["n"]),
        ("diffs", &["d"]),
        ("branching", &["b"]),
        ("depth", &["l"]),
        ("seed", &["seed"]),
        ("source", &["src", "r", "na", "nb"]),
    ],
    groups: &["params", "chart", "strategies"],
};

impl Lab {
    /// The names a teacher's link may give this lab's controls.
    pub fn teacher_names(self) -> &'static Names {
        match self {
            Lab::Dissemination => &DISSEMINATION,
            Lab::Membership => &MEMBERSHIP,
            Lab::AntiEntropy => &ANTI_ENTROPY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_written_once_and_reads_in_a_teachers_link() {
        for lab in Lab::ALL {
            let names = lab.teacher_names();
            let all = names.hideable();
            for (i, n) in all.iter().enumerate() {
                assert!(!all[..i].contains(n), "{} names {n} twice", lab.key());
                assert!(
                    n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{n} needs no escaping in a link"
                );
                assert_ne!(*n, gossip_core::link::teacher::ALL);
            }
            let link = format!(
                "?lock={}&hide={}",
                names.lockable().join(","),
                all.join(",")
            );
            let (_, notices) = gossip_core::link::teacher::parse(&link, &names.lockable(), &all);
            assert!(notices.is_empty(), "{}: {notices:?}", lab.key());
        }
    }

    #[test]
    fn a_link_field_belongs_to_at_most_one_parameter() {
        for lab in Lab::ALL {
            let names = lab.teacher_names();
            let keys: Vec<&str> = names
                .params
                .iter()
                .flat_map(|(_, k)| k.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[..i].contains(k), "{}: {k}", lab.key());
            }
            assert_eq!(names.name_of("seed"), Some("seed"));
        }
        assert_eq!(DISSEMINATION.name_of("k"), Some("fanout"));
        assert_eq!(DISSEMINATION.name_of("latmax"), Some("latency"));
        assert_eq!(MEMBERSHIP.name_of("k"), Some("indirect"));
    }
}
