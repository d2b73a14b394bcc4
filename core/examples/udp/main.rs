//! The core over real sockets: `Node`s on 127.0.0.1 UDP, ticked by the wall clock.
//!
//! ```text
//! cargo run -p gossip-core --features std --example udp -- --nodes 5
//! ```
//!
//! Binds one socket per node, writes one key at node 0, and prints when each node learns it;
//! then kills the last node and keeps running, so the others go on without it. Membership is
//! the oracle for now (the nodes are told who is alive); with SWIM each node will print when
//! it declares the killed node dead. The driver is [`driver`]; `core/tests/udp.rs` runs a
//! short version.

mod driver;

use std::process::ExitCode;
use std::time::Duration;

use gossip_core::node::{Event, NodeConfig};

use driver::UdpCluster;

const HELP: &str = "\
udp: run gossip nodes over real UDP sockets on 127.0.0.1, ticked by the wall clock

USAGE:
    udp [--nodes N] [--tick-ms M] [--seconds S] [--seed S]

OPTIONS:
    --nodes N      nodes, 2 to 256 [default: 5]
    --tick-ms M    milliseconds per tick, 1 to 1000 [default: 10]; a node gossips every 4 ticks
    --seconds S    how long to run, 1 to 600 [default: 3]
    --seed S       the seed of the nodes' random streams [default: 0]
";

struct Args {
    nodes: u32,
    tick_ms: u64,
    seconds: u64,
    seed: u64,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        nodes: 5,
        tick_ms: 10,
        seconds: 3,
        seed: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(name) = it.next() {
        if name == "--help" || name == "-h" {
            return Err(String::new());
        }
        let value = it.next().ok_or(format!("{name} needs a value"))?;
        let number = |lo: u64, hi: u64| -> Result<u64, String> {
            let x: u64 = value
                .parse()
                .map_err(|_| format!("{name}: not a number: {value}"))?;
            (lo..=hi)
                .contains(&x)
                .then_some(x)
                .ok_or(format!("{name} must be {lo} to {hi}, got {x}"))
        };
        match name.as_str() {
            "--nodes" => a.nodes = number(2, 256)? as u32,
            "--tick-ms" => a.tick_ms = number(1, 1000)?,
            "--seconds" => a.seconds = number(1, 600)?,
            "--seed" => a.seed = number(0, u64::MAX)?,
            _ => return Err(format!("unknown option {name}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("udp: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let tick = Duration::from_millis(args.tick_ms);
    let mut c = match UdpCluster::bind(args.nodes, NodeConfig::default(), args.seed, tick) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("udp: cannot bind: {e}");
            return ExitCode::FAILURE;
        }
    };
    for id in 0..args.nodes {
        println!("node {id} on {}", c.addr(id));
    }
    let mut print = |now: gossip_core::time::Tick, id, ev: &Event| {
        if let Event::Learned { key, from, .. } = ev {
            let key = String::from_utf8_lossy(key);
            println!(
                "tick {:>5}: node {id} learned {key:?} from node {from}",
                now.0
            );
        }
    };
    if let Err(e) = c.write(0, b"color", b"red", &mut print) {
        eprintln!("udp: write refused: {e}");
        return ExitCode::FAILURE;
    }
    let half = Duration::from_secs(args.seconds) / 2;
    c.run_for(half, &mut print, &mut |_| false);
    let victim = args.nodes - 1;
    println!("tick {:>5}: node {victim} killed", c.now().0);
    c.kill(victim);
    c.write(0, b"color", b"blue", &mut print).ok();
    c.run_for(half, &mut print, &mut |_| false);
    for id in 0..args.nodes {
        let value = c
            .node(id)
            .store()
            .value(b"color")
            .map(String::from_utf8_lossy);
        let state = if c.is_up(id) { "up" } else { "killed" };
        println!("node {id} ({state}) holds color = {value:?}");
    }
    println!("{:?}", c.counters());
    ExitCode::SUCCESS
}
