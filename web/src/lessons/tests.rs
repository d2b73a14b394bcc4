//! The lessons' promises: every number a step states is computed (no digit in its prose), every
//! term it links is defined, every setup link reads without a notice, and the values the steps
//! state and measure are pinned here.

use super::facts::{self, Fact};
use super::format::{Answer, Step};
use super::glossary;
use super::measure::measure;
use super::*;
use gossip_core::link::lesson::Guess;

fn steps() -> impl Iterator<Item = (&'static str, usize, &'static Step)> {
    LESSONS.iter().flat_map(|l| {
        l.steps
            .iter()
            .enumerate()
            .map(move |(i, s)| (l.key, i + 1, s))
    })
}

fn prose(s: &Step) -> Vec<&'static str> {
    let mut v = vec![s.title, s.look, s.explain];
    if let Some(p) = &s.predict {
        v.push(p.question);
        if let Answer::Choice(o) = p.answer {
            v.extend(o.iter().copied());
        }
    }
    v
}

#[test]
fn no_step_types_a_number_its_prose_states() {
    for (lesson, i, s) in steps() {
        for text in prose(s) {
            let bare = (0..s.facts.len())
                .fold(text.to_string(), |t, f| t.replace(&format!("{{{f}}}"), ""));
            assert!(
                !bare.chars().any(|c| c.is_ascii_digit()),
                "{lesson} step {i}: a number typed by hand in {text:?}"
            );
        }
    }
}

#[test]
fn every_placeholder_has_a_fact_and_every_linked_term_a_definition() {
    for (lesson, i, s) in steps() {
        for text in prose(s).into_iter().chain([s.more]) {
            for (term, _) in glossary::links(text) {
                assert!(
                    glossary::define(term).is_some(),
                    "{lesson} step {i}: [{term}] undefined"
                );
            }
            let filled = glossary::fill(text, &vec!["x".to_string(); s.facts.len()]);
            assert!(
                !filled.contains('{'),
                "{lesson} step {i}: {text:?} names a missing fact"
            );
        }
    }
    for term in [
        "anti-entropy",
        "round",
        "tick",
        "fanout",
        "residue",
        "incarnation",
    ] {
        assert!(glossary::define(term).is_some(), "{term}");
    }
}

#[test]
fn every_setup_link_reads_without_a_notice_and_the_catalogue_fits_the_link() {
    for (lesson, i, s) in steps() {
        let lab = LESSONS.iter().find(|l| l.key == lesson).unwrap().lab;
        assert_eq!(
            crate::labs::Lab::from_query(s.setup),
            lab,
            "{lesson} step {i}"
        );
        let notices = match lab {
            crate::labs::Lab::Dissemination => crate::labs::dissemination::url::parse(s.setup).1,
            crate::labs::Lab::Membership => crate::labs::membership::url::parse(s.setup).1,
            crate::labs::Lab::AntiEntropy => crate::labs::anti_entropy::url::parse(s.setup).1,
        };
        assert!(notices.is_empty(), "{lesson} step {i}: {notices:?}");
    }
    for (key, steps) in catalogue() {
        assert!(
            (1..=gossip_core::link::lesson::STEPS_MAX).contains(&steps),
            "{key}"
        );
    }
    assert!(opens_lesson("") && opens_lesson("?lesson=modes&step=2"));
    assert!(!opens_lesson("?s=custom") && !opens_lesson("?n=5") && !opens_lesson("?embed=1"));
}

/// Every step's stated numbers and its measure on its own setup link, pinned: they are what
/// the page shows, computed by the kernel, the theory module and the engine (fixed seeds, so
/// exact). Published figures they agree with are cited where they appear.
#[test]
fn every_steps_numbers_are_pinned() {
    let shown = |s: &Step| -> Vec<String> {
        let v = facts::values(s.facts, s.setup);
        s.facts
            .iter()
            .zip(&v)
            .map(|(f, x)| facts::text(*f, *x))
            .collect()
    };
    let n = |x: f64| Some(Guess::Number(x));
    let pins: &[(&str, usize, &[&str], Option<Guess>)] = &[
        // Pittel's log2 200 + ln 200 = 12.9; this seed's run takes 13.
        ("epidemic", 1, &["200", "1", "12.9"], n(13.0)),
        ("epidemic", 2, &["1,000", "2", "10"], n(10.0)),
        (
            "epidemic",
            3,
            &[
                "1,000", "2", "10", "2", "3", "20", "30", "10,000", "13", "14", "1.3", "1.4", "99",
                "99.9",
            ],
            n(14.0),
        ),
        ("modes", 1, &["1,000", "16.9"], n(18.0)),
        ("modes", 2, &["1,000"], n(15.0)),
        ("modes", 3, &["1,000"], Some(Guess::Choice(2))),
        // Demers et al. (1987) Table 1, feedback counter: k = 2 residue 0.037, traffic 3.30;
        // k = 4 residue 0.0036, traffic 5.64.
        ("rumor", 1, &["1,000", "2", "10,000", "3.7 %"], n(3.9)),
        ("rumor", 2, &["10,000", "3.3", "3.7 %", "3.7 %"], n(3.302)),
        ("rumor", 3, &["1,000", "4", "5.6", "0.4 %", "0.4 %"], n(0.5)),
        ("partition", 1, &["64", "12"], n(32.0)),
        ("partition", 2, &["64"], n(2.0)),
        // Every node lacks one of the writes when rumors alone settle; Merkle repair ends the
        // gaps at round 45 (core's the_repair_scenario_tells_its_captions_story, seed 1).
        ("repair", 1, &["48", "1", "8", "8", "20"], n(48.0)),
        ("repair", 2, &["20", "6"], n(25.0)),
        // SWIM §3.1: the mean periods to first detection under uniform probing tend to e/(e-1).
        ("swim", 1, &["32", "5", "3", "1.57"], n(2.0)),
        ("swim", 2, &["5"], n(11.0)),
    ];
    let all: Vec<_> = steps().collect();
    assert_eq!(all.len(), pins.len(), "a step without a pin");
    for ((lesson, i, s), (pl, pi, facts, measured)) in all.into_iter().zip(pins) {
        assert_eq!((lesson, i), (*pl, *pi));
        assert_eq!(shown(s), *facts, "{lesson} step {i}'s facts");
        let got = measure(s.measure, s.setup);
        match (got, measured) {
            (Some(Guess::Number(a)), Some(Guess::Number(b))) => {
                assert!(
                    (a - b).abs() < 1e-9,
                    "{lesson} step {i} measured {a}, pinned {b}"
                )
            }
            (a, b) => assert_eq!(a, *b, "{lesson} step {i}'s measure"),
        }
    }
}

/// The margin step's explanation says that twice log_k N already covers the 99.9th percentile;
/// this holds it to the sweep.
#[test]
fn the_margin_step_says_only_what_the_sweep_shows() {
    let s = &epidemic::LESSON.steps[2];
    let v = facts::values(&[Fact::Multiple(2), Fact::RoundsQuantile(999)], s.setup);
    assert!(v[0] >= v[1], "2 log_k N = {} < p99.9 = {}", v[0], v[1]);
}

/// The rumors-alone step is "Partition, then repair" with repair off and nothing else changed:
/// its custom link is the scenario's preset, field for field, but for `ae=` and the scenario.
#[test]
fn the_rumors_alone_step_is_the_repair_scenario_without_repair() {
    use gossip_core::link::dissemination::{RepairStrategy, Run, Scenario};
    let step = crate::labs::dissemination::url::parse(super::repair::RUMORS_ALONE_SETUP)
        .0
        .run;
    let mut want = Run::preset(Scenario::Repair);
    want.repair = RepairStrategy::Off;
    assert_eq!(step.scenario, Scenario::Custom);
    assert_eq!(step.cluster_config(), want.cluster_config());
    assert_eq!(step.actions, want.actions);
    assert_eq!(step.key, want.key);
}
