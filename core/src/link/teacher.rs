//! A teacher's fields of a link: what a class sees and may touch, read beside a lab's run
//! (`?s=epidemic&n=200&lock=fanout,mode&hide=chart&play=1&proj=1&notes=1`).
//!
//! A teacher writes these by hand (or takes them from the catalogue page), so one parser reads
//! them for every lab: every lab's parser leaves them to this module ([`is_field`]), and the
//! page asks [`parse`] with the names its lab offers. The page owns what a name means (which
//! input a lock disables, which group a hide removes); this module only checks the names
//! against the lab's lists and writes them back canonically.
//!
//! # Fields
//! | name | meaning | values |
//! |------|---------|--------|
//! | `lock` | these inputs are shown disabled, with a note that the teacher locked them | `all` (every parameter), or a comma list of the lab's lockable names, at most [`NAMES_MAX`] |
//! | `hide` | these controls or groups are not shown at all | a comma list of the lab's hideable names, at most [`NAMES_MAX`] |
//! | `play` | start playing on load (`1`) or paused (`0`, as without it) | `0` or `1` |
//! | `proj` | projector mode: larger type and marks, high contrast | `0` or `1` |
//! | `notes` | show the teacher notes of the lesson or challenge | `0` or `1` |
//!
//! As everywhere in links, reading never fails: an unknown name is dropped with a [`Notice`]
//! that lists the names the lab knows, and the rest of the list (and of the link) is kept.
//! [`Teacher::encode`] writes the canonical form, which reads back to the same fields.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{pairs, Fields, Notice};

/// The link's teacher fields, which no lab reads.
pub const FIELDS: [&str; 5] = ["lock", "hide", "play", "proj", "notes"];
/// The most names a `lock=` or `hide=` list may hold; more are dropped with a notice.
pub const NAMES_MAX: usize = 32;
/// The value of `lock=` that locks every parameter of the lab.
pub const ALL: &str = "all";

/// Whether `name` is one of the teacher fields (a lab's parser skips it).
pub fn is_field(name: &str) -> bool {
    FIELDS.contains(&name)
}

/// What `lock=` locks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Lock {
    /// Nothing (no `lock=`, or one whose every name was unknown).
    #[default]
    None,
    /// Every parameter of the lab (`lock=all`).
    All,
    /// These names, in the order first given, each at most once.
    Some(Vec<String>),
}

/// The teacher's fields of a link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Teacher {
    /// The inputs shown disabled.
    pub lock: Lock,
    /// The controls and groups not shown, in the order first given, each at most once.
    pub hide: Vec<String>,
    /// `Some(true)`: start playing; `Some(false)`: start paused; `None`: the page's default.
    pub play: Option<bool>,
    /// Projector mode.
    pub projector: bool,
    /// Show the teacher notes.
    pub notes: bool,
}

impl Teacher {
    /// Whether the input named `name` is locked.
    pub fn locks(&self, name: &str) -> bool {
        match &self.lock {
            Lock::None => false,
            Lock::All => true,
            Lock::Some(names) => names.iter().any(|n| n == name),
        }
    }

    /// Whether the control or group named `name` is hidden.
    pub fn hides(&self, name: &str) -> bool {
        self.hide.iter().any(|n| n == name)
    }

    /// The canonical fields, without a leading `?` or `&` (empty when none is set), in the
    /// order of [`FIELDS`]; the flags only when on, `play` whenever given.
    pub fn encode(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        match &self.lock {
            Lock::None => {}
            Lock::All => out.push(format!("lock={ALL}")),
            Lock::Some(names) => out.push(format!("lock={}", names.join(","))),
        }
        if !self.hide.is_empty() {
            out.push(format!("hide={}", self.hide.join(",")));
        }
        if let Some(p) = self.play {
            out.push(format!("play={}", u8::from(p)));
        }
        if self.projector {
            out.push("proj=1".to_string());
        }
        if self.notes {
            out.push("notes=1".to_string());
        }
        out.join("&")
    }
}

/// The teacher's fields a link holds, checked against the names the lab can lock (`lockable`)
/// and hide (`hideable`), and a notice for every value that could not be used as given. The
/// last of a repeated field counts, as for every field of a link.
pub fn parse(link: &str, lockable: &[&str], hideable: &[&str]) -> (Teacher, Vec<Notice>) {
    let pairs = pairs(link);
    let mut f = Fields::default();
    let value = |k: &str| pairs.iter().rev().find(|(x, _)| x == k).map(|(_, v)| v);
    let mut t = Teacher::default();
    if let Some(v) = value("lock") {
        t.lock = if v.trim() == ALL {
            Lock::All
        } else {
            let names = names("lock", v, lockable, &mut f);
            if names.is_empty() {
                Lock::None
            } else {
                Lock::Some(names)
            }
        };
    }
    if let Some(v) = value("hide") {
        t.hide = names("hide", v, hideable, &mut f);
    }
    if let Some(v) = value("play") {
        // A bad value keeps the page's default rather than guessing which the teacher meant.
        match v.as_str() {
            "1" => t.play = Some(true),
            "0" => t.play = Some(false),
            _ => f.note("play", v, "", "is not 0 or 1"),
        }
    }
    if let Some(v) = value("proj") {
        t.projector = f.flag("proj", v, false);
    }
    if let Some(v) = value("notes") {
        t.notes = f.flag("notes", v, false);
    }
    (t, f.into_notices())
}

/// The names of a comma list that `known` holds, first-given order, each once; every other
/// item is dropped with a notice naming the ones the lab knows.
fn names(param: &str, v: &str, known: &[&str], f: &mut Fields) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !known.contains(&item) {
            let why = if known.is_empty() {
                "names nothing this lab has (it has none)".to_string()
            } else {
                format!("names nothing this lab has (it has {})", known.join(", "))
            };
            f.note(param, item, "", why);
        } else if out.iter().any(|n| n == item) {
            // Said twice: once is enough, and a repeat never counts against the limit.
        } else if out.len() >= NAMES_MAX {
            f.note(
                param,
                item,
                "",
                format!("is past the {NAMES_MAX} names a list may hold"),
            );
        } else {
            out.push(item.to_string());
        }
    }
    out
}

/// The query `link` without its teacher fields, as written (`?…`, or empty when nothing is
/// left): what the page writes the fields back after, when one of them changes.
pub fn strip(link: &str) -> String {
    super::without(link, is_field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    const LOCKABLE: &[&str] = &["nodes", "fanout", "mode", "seed"];
    const HIDEABLE: &[&str] = &["chart", "share", "fanout"];

    #[test]
    fn every_field_is_read_and_written_back_canonically() {
        let link = "?s=epidemic&lock=fanout,mode,seed&hide=chart&play=1&proj=1&notes=1";
        let (t, notices) = parse(link, LOCKABLE, HIDEABLE);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            t,
            Teacher {
                lock: Lock::Some(vec!["fanout".into(), "mode".into(), "seed".into()]),
                hide: vec!["chart".into()],
                play: Some(true),
                projector: true,
                notes: true,
            }
        );
        assert!(t.locks("mode") && !t.locks("nodes"));
        assert!(t.hides("chart") && !t.hides("share"));
        assert_eq!(
            t.encode(),
            "lock=fanout,mode,seed&hide=chart&play=1&proj=1&notes=1"
        );
    }

    #[test]
    fn lock_all_locks_every_name_and_no_fields_lock_nothing() {
        let (t, _) = parse("?lock=all", LOCKABLE, HIDEABLE);
        assert_eq!(t.lock, Lock::All);
        assert!(LOCKABLE.iter().all(|n| t.locks(n)));
        assert_eq!(t.encode(), "lock=all");
        let (t, notices) = parse("?s=epidemic&n=200", LOCKABLE, HIDEABLE);
        assert_eq!((t, notices.len()), (Teacher::default(), 0));
        assert_eq!(Teacher::default().encode(), "");
    }

    #[test]
    fn an_unknown_name_is_dropped_with_a_notice_and_the_rest_is_kept() {
        let (t, notices) = parse("?lock=fanot,seed,seed&hide=nope&play=2", LOCKABLE, HIDEABLE);
        assert_eq!(t.lock, Lock::Some(vec!["seed".into()]));
        assert!(t.hide.is_empty());
        assert_eq!(t.play, None, "a bad play= keeps the page's default");
        let said: Vec<String> = notices.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            said,
            [
                "Parameter lock=fanot names nothing this lab has (it has nodes, fanout, mode, seed); ignored.",
                "Parameter hide=nope names nothing this lab has (it has chart, share, fanout); ignored.",
                "Parameter play=2 is not 0 or 1; ignored.",
            ]
        );
        let (t, notices) = parse("?lock=oops", LOCKABLE, HIDEABLE);
        assert_eq!((t.lock, notices.len()), (Lock::None, 1));
    }

    #[test]
    fn play_zero_is_kept_as_asked_and_bad_flags_are_said() {
        let (t, notices) = parse("?play=0&proj=yes&notes=0", LOCKABLE, HIDEABLE);
        assert_eq!(t.play, Some(false));
        assert!(!t.projector && !t.notes);
        assert_eq!(
            notices[0].to_string(),
            "Parameter proj=yes is not 0 or 1; using 0."
        );
        assert_eq!(t.encode(), "play=0");
    }

    #[test]
    fn a_list_holds_at_most_names_max_names() {
        let known: Vec<String> = (0..NAMES_MAX + 3).map(|i| format!("n{i}")).collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let (t, notices) = parse(&format!("?hide={}", known.join(",")), &[], &known);
        assert_eq!(t.hide.len(), NAMES_MAX);
        assert_eq!(notices.len(), 3);
    }

    #[test]
    fn every_labs_parser_leaves_the_teacher_fields_alone() {
        let teacher = "&lock=all&hide=chart&play=1&proj=1&notes=1";
        let (plain, _) =
            crate::link::dissemination::parse("?s=epidemic&n=200", &mut |_, _, _| false);
        let (with, notices) = crate::link::dissemination::parse(
            &format!("?s=epidemic&n=200{teacher}"),
            &mut |_, _, _| false,
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(plain, with);
        let (plain, _) = crate::link::membership::parse("?s=detect", &mut |_, _, _| false);
        let (with, notices) =
            crate::link::membership::parse(&format!("?s=detect{teacher}"), &mut |_, _, _| false);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(plain, with);
        let (plain, _) = crate::link::anti_entropy::parse("?n=64", &mut |_, _, _| false);
        let (with, notices) =
            crate::link::anti_entropy::parse(&format!("?n=64{teacher}"), &mut |_, _, _| false);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(plain, with);
    }

    #[test]
    fn strip_leaves_everything_but_the_teacher_fields_as_written() {
        assert_eq!(
            strip("?s=epidemic&proj=1&n=200&lock=all&lesson=epidemic"),
            "?s=epidemic&n=200&lesson=epidemic"
        );
        assert_eq!(strip("?proj=1&notes=1"), "");
        assert_eq!(strip("http://h/?a=3c5_4h&play=1#x"), "?a=3c5_4h");
    }

    /// Any teacher fields built from the lab's names.
    fn teacher() -> impl Strategy<Value = Teacher> {
        let name = |known: &'static [&'static str]| {
            proptest::sample::subsequence(known.to_vec(), 0..=known.len())
                .prop_shuffle()
                .prop_map(|v| v.into_iter().map(String::from).collect::<Vec<String>>())
        };
        let lock = prop_oneof![
            Just(Lock::None),
            Just(Lock::All),
            name(LOCKABLE).prop_map(|v| if v.is_empty() {
                Lock::None
            } else {
                Lock::Some(v)
            }),
        ];
        (
            lock,
            name(HIDEABLE),
            proptest::option::of(any::<bool>()),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(lock, hide, play, projector, notes)| Teacher {
                lock,
                hide,
                play,
                projector,
                notes,
            })
    }

    proptest! {
        #[test]
        fn no_input_panics_and_whatever_is_read_writes_back_to_itself(link in ".{0,200}") {
            let (t, _) = parse(&link, LOCKABLE, HIDEABLE);
            let (back, notices) = parse(&t.encode(), LOCKABLE, HIDEABLE);
            prop_assert!(notices.is_empty(), "{:?}", notices);
            prop_assert_eq!(back, t);
        }

        #[test]
        fn lists_of_fields_with_any_bytes_never_panic(
            lock in "[a-z,=&%]{0,60}", hide in "[a-z,=&%]{0,60}", flags in "[0-9a-z]{0,3}"
        ) {
            let link = format!("?lock={lock}&hide={hide}&play={flags}&proj={flags}&notes={flags}");
            let (t, _) = parse(&link, LOCKABLE, HIDEABLE);
            prop_assert!(t.hide.iter().all(|h| HIDEABLE.contains(&h.as_str())));
        }

        #[test]
        fn canonical_fields_round_trip(t in teacher()) {
            let (back, notices) = parse(&format!("?s=epidemic&{}", t.encode()), LOCKABLE, HIDEABLE);
            prop_assert!(notices.is_empty(), "{:?}", notices);
            prop_assert_eq!(back, t);
        }
    }
}
