//! Golden determinism: fixed runs hashed to pinned values, so that a run replays identically on
//! every platform and in every release.
//!
//! A permalink holds only a configuration, a seed and a script; the page that opens it
//! recomputes the run. These values pin four such runs: one kernel sweep, one rumor kernel run,
//! one cluster run driven by a script text and one SWIM cluster run with faults. **If one of these constants has to change, every
//! permalink already shared replays differently: the fix belongs in the code (restore the old
//! behaviour, or version the link format), not in the constant.** Update a constant only for a
//! deliberate, announced change of the simulation, and say so in the commit.
//!
//! The runs, the hash (FNV-1a over every field) and the constants are in `golden/runs.rs`,
//! which `web/tests/browser.rs` includes too: the same runs are checked in wasm32 in headless
//! Chromium (`make browser`), the platform where links are opened.

#[path = "golden/runs.rs"]
mod runs;

use runs::Fnv;

#[test]
fn fnv1a_matches_its_published_test_vectors() {
    let hash = |s: &[u8]| {
        let mut h = Fnv::new();
        h.bytes(s);
        h.0
    };
    assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
}

/// (a) A kernel sweep: push-pull, fanout 2, 10 % loss, 2000 nodes, 5 trials, every round.
#[test]
fn a_kernel_sweep_replays_to_its_pinned_hash() {
    let h = runs::kernel_sweep();
    assert_eq!(h, runs::GOLDEN_KERNEL, "got {h:#018x}");
}

/// (b) Rumor mongering runs: pull, feedback, coin k = 2 on 1000 nodes, 20 trials.
#[test]
fn rumor_runs_replay_to_their_pinned_hash() {
    let h = runs::rumor_runs();
    assert_eq!(h, runs::GOLDEN_RUMOR, "got {h:#018x}");
}

/// (c) A cluster run of 20 nodes with push-pull rumor mongering, driven by [`runs::SCRIPT`],
/// every field of every round record.
#[test]
fn a_scripted_cluster_run_replays_to_its_pinned_hash() {
    let h = runs::scripted_cluster();
    assert_eq!(h, runs::GOLDEN_CLUSTER, "got {h:#018x}");
}

/// (d) A SWIM cluster run of 24 nodes with Lifeguard, driven by [`runs::SWIM_SCRIPT`] (a
/// crash and restart, loss, a slow episode): every round's counts and every final view.
#[test]
fn a_swim_cluster_run_replays_to_its_pinned_hash() {
    let h = runs::swim_cluster();
    assert_eq!(h, runs::GOLDEN_SWIM, "got {h:#018x}");
}

/// (e) An anti-entropy cluster run of 20 nodes: a partition with writes on both sides, healed,
/// repaired by digest sessions after the rumors died ([`runs::ANTI_ENTROPY_SCRIPT`]).
#[test]
fn an_anti_entropy_cluster_run_replays_to_its_pinned_hash() {
    let h = runs::anti_entropy_cluster();
    assert_eq!(h, runs::GOLDEN_ANTI_ENTROPY, "got {h:#018x}");
}

/// (f) The same run with a busy cluster: sessions every interval, one open at a node at most,
/// so responders refuse and refused initiators back off (issue 10's busy-refusal stall).
#[test]
fn a_busy_anti_entropy_cluster_run_replays_to_its_pinned_hash() {
    let h = runs::busy_anti_entropy_cluster();
    assert_eq!(h, runs::GOLDEN_BUSY_ANTI_ENTROPY, "got {h:#018x}");
}
