//! The headless lab: runs many trials of a gossip model and prints their statistics.
//!
//! ```text
//! cargo run --release -p gossip-core --features serde --example lab -- dissemination --mode push-pull --nodes 100000
//! cargo run --release -p gossip-core --features serde --example lab -- rumor --variant push --k 2 --trials 2000
//! cargo run --release -p gossip-core --features serde --example lab -- --help
//! ```
//!
//! The example needs the core's `serde` feature (its JSON output is serialized with serde); without
//! it Cargo skips the example.
//!
//! Arguments are parsed by hand (no clap) to keep the build lean; every value is checked against
//! a named limit, and a bad option or value is reported on stderr with exit code 2.
//!
//! Trials run on `--threads` threads (default: every core). Each trial's seed is derived from
//! its index, each thread runs a contiguous range of indices with its own buffers, and the
//! results are put back in index order and summed in integers, so the output is byte for byte
//! the same whatever the thread count (`cargo test -p gossip-core --features serde --example lab` checks it).

//!
//! One file per command ([`dissemination`], [`rumor`], [`cluster`], [`swim`], [`merkle`], [`anti_entropy`], [`challenge`]), each with its options, its help section
//! and its output; [`options`] parses `--name value` pairs against named limits and [`trials`]
//! runs trials on threads and summarises them. A new command is a new file and one arm in
//! [`run`].

mod anti_entropy;
mod challenge;
mod cluster;
mod dissemination;
mod merkle;
mod options;
mod rumor;
mod swim;
mod trials;

use std::process::ExitCode;

use options::{Options, UsageError};

/// What every command shares: what the runner is, its commands and the common options.
const GENERAL: &str = "\
lab: run trials of a gossip model and print their statistics, or replay one cluster run

USAGE:
    lab dissemination [options]    push / pull / push-pull spread of one rumor to every node
    lab rumor [options]            rumor mongering with loss of interest (Demers et al. 1987)
    lab cluster [options]          one run of the cluster simulator from a Gossip Lab link, per round
    lab swim [options]             SWIM failure detection (with Lifeguard): crashes, slow nodes, loss
    lab merkle [options]           reconcile two replicas differing in D keys: full, digest, Merkle
    lab challenge [options]        the challenges, and the check of proof links by replay
    lab anti-entropy [options]     a partition with writes on both sides, healed: rounds and bytes
                                   until anti-entropy repairs it, per strategy
    lab --help                     this text

OPTIONS OF dissemination AND rumor:
    --nodes N        cluster size (dissemination: 2 to 16777216; rumor: 2 to 4194304)
                     [default: 1000]
    --trials T       independent trials, 1 to 100000 (and trials x nodes at most 10^10)
                     [default: 100]
    --seed S         the sweep's seed, 0 to 2^64-1; trial t uses derive(S, Trial, t)
                     [default: 0]
    --threads J      threads to run trials on, 1 to 64 [default: the number of cores];
                     the output does not depend on it
    --format F       json | csv | text [default: text]
                     json: one object with mean, sd, se, p50, p95, max of each measure
                     csv:  the per-round curve, averaged over trials (see below)
                     text: a readable summary

";

/// The exit codes, last in the help.
const EXIT_CODES: &str = "EXIT CODES: 0 success, 2 bad option or value.\n";

/// The whole `--help` text: the general part, each command's section, the exit codes.
fn usage() -> String {
    [
        GENERAL,
        dissemination::HELP,
        rumor::HELP,
        cluster::HELP,
        swim::HELP,
        merkle::HELP,
        anti_entropy::HELP,
        challenge::HELP,
        EXIT_CODES,
    ]
    .concat()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(UsageError(msg)) => {
            eprintln!("lab: error: {msg}\nRun `lab --help` for the options.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, UsageError> {
    let Some(command) = args.first() else {
        return Err(UsageError(
            "missing command: dissemination, rumor, cluster, swim, merkle, anti-entropy or challenge".into(),
        ));
    };
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        return Ok(usage());
    }
    // `--help` or `-h` where an option name is expected asks for help; as an option's value
    // (`--loss --help`) it is an error of that option, reported by `Options::parse`.
    let mut names = args[1..].iter();
    while let Some(a) = names.next() {
        if a == "--help" || a == "-h" {
            return Ok(usage());
        }
        if a.starts_with("--") && !a.contains('=') {
            names.next();
        }
    }
    let opts = Options::parse(&args[1..])?;
    match command.as_str() {
        "dissemination" => dissemination::run(opts),
        "cluster" => cluster::run(opts),
        "rumor" => rumor::run(opts),
        "swim" => swim::run(opts),
        "merkle" => merkle::run(opts),
        "anti-entropy" => anti_entropy::run(opts),
        "challenge" => challenge::run(opts),
        other => Err(UsageError(format!(
            "unknown command '{other}': expected dissemination, rumor, cluster, swim, merkle, anti-entropy or challenge"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match run(&args) {
            Ok(out) => out,
            Err(UsageError(e)) => panic!("{line}: {e}"),
        }
    }

    fn usage_error(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match run(&args) {
            Ok(out) => panic!("{line}: expected an error, got {out}"),
            Err(UsageError(e)) => e,
        }
    }

    #[test]
    fn help_as_an_option_value_is_an_error_of_that_option() {
        assert_eq!(
            usage_error("dissemination --loss --help"),
            "--loss needs a value, got the option '--help'"
        );
        assert_eq!(
            usage_error("rumor --k -h"),
            "--k needs a value, got the option '-h'"
        );
        // In a name position it still asks for help.
        assert_eq!(lab("dissemination --nodes 10 --help"), usage());
        assert_eq!(lab("--help"), usage());
    }

    #[test]
    fn minus_zero_is_echoed_as_zero() {
        let out = lab("dissemination --nodes 50 --trials 2 --loss -0 --threads 1");
        assert!(out.contains("loss 0,"), "{out}");
        assert!(!out.contains("-0"), "{out}");
    }

    #[test]
    fn the_work_limit_counts_rounds_and_fanout_not_only_nodes_and_trials() {
        // Within the node-trials limit, over the contacts limit because of the rounds.
        let e = usage_error("dissemination --nodes 1000000 --trials 1000 --rounds-max 1000");
        assert!(e.contains("exceeds 100000000000 contacts"), "{e}");
        // The default round limit grows with loss: 8 (log2 n + ln n) / (1 - loss).
        let ok = lab("dissemination --nodes 100 --trials 1 --loss 0.5 --format json");
        assert!(ok.contains("\"rounds_max\":180"), "{ok}");
    }

    #[test]
    fn the_output_does_not_depend_on_the_thread_count() {
        for command in [
            "dissemination --mode push-pull --nodes 300 --trials 23 --seed 5 --format json",
            "dissemination --mode pull --nodes 300 --trials 23 --loss 0.2 --format csv",
            "rumor --variant pull --nodes 300 --trials 23 --format csv",
            "rumor --nodes 300 --trials 23 --k 2 --format json",
            "swim --nodes 20 --periods 25 --trials 5 --loss 0.1 --slow 1 --format json",
        ] {
            let one = lab(&format!("{command} --threads 1"));
            for threads in [2, 5, 64] {
                assert_eq!(
                    one,
                    lab(&format!("{command} --threads {threads}")),
                    "{command}"
                );
            }
        }
    }
}
