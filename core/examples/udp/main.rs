//! The core over real sockets: `Node`s on 127.0.0.1 UDP, ticked by the wall clock.
//!
//! ```text
//! cargo run -p gossip-core --features std --example udp -- --nodes 5
//! ```
//!
//! Binds one socket per node. With `--membership swim` (the default) the nodes run SWIM with
//! Lifeguard: they join through node 0 (each join printed), then node `--kill` is killed and
//! each live node prints when it declares it dead; the example exits 0 once every live node
//! holds it dead, 1 on a timeout ([`swim`]). With `--membership oracle` it writes one key at
//! node 0 and prints when each node learns it, then kills the last node and keeps running.
//! The driver is [`driver`]; `core/tests/udp.rs` runs short versions of both.

mod driver;
mod swim;

use std::process::ExitCode;
use std::time::Duration;

use gossip_core::node::{Event, NodeConfig};

use driver::UdpCluster;

const HELP: &str = "\
udp: run gossip nodes over real UDP sockets on 127.0.0.1, ticked by the wall clock

USAGE:
    udp [--membership swim|oracle] [--nodes N] [--period-ms P] [--kill K] [--seed S]
        [--tick-ms M] [--seconds S]

OPTIONS:
    --membership M  swim (SWIM with Lifeguard, its defaults) or oracle [default: swim]
    --nodes N       nodes, 2 to 64 [default: 5]
    --seed S        the seed of the nodes' random streams [default: 0]

  with swim:
    --period-ms P   the protocol period in milliseconds, 8 to 10000 [default: 100]; a period
                    is 8 ticks, so a tick is P/8 ms
    --kill K        the node killed once all have joined, 0 to N-1 [default: N-1]
    Nodes 1..N-1 join through node 0. Exit 0 when every live node holds the killed one dead;
    exit 1 if the joins take over 100 periods, the detection over 200 periods after the
    kill, or a live node is declared dead.

  with oracle:
    --tick-ms M     milliseconds per tick, 1 to 1000 [default: 10]; a node gossips every 4 ticks
    --seconds S     how long to run, 1 to 600 [default: 3]
";

#[derive(Clone, Copy, PartialEq)]
enum Source {
    Swim,
    Oracle,
}

struct Args {
    membership: Source,
    period_ms: u64,
    kill: Option<u32>,
    nodes: u32,
    tick_ms: u64,
    seconds: u64,
    seed: u64,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        membership: Source::Swim,
        period_ms: 100,
        kill: None,
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
            "--membership" => {
                a.membership = match value.as_str() {
                    "swim" => Source::Swim,
                    "oracle" => Source::Oracle,
                    _ => return Err(format!("--membership must be swim or oracle, got {value}")),
                }
            }
            "--period-ms" => a.period_ms = number(8, 10_000)?,
            "--kill" => a.kill = Some(number(0, 63)? as u32),
            "--nodes" => a.nodes = number(2, 64)? as u32,
            "--tick-ms" => a.tick_ms = number(1, 1000)?,
            "--seconds" => a.seconds = number(1, 600)?,
            "--seed" => a.seed = number(0, u64::MAX)?,
            _ => return Err(format!("unknown option {name}")),
        }
    }
    if a.kill.is_some_and(|k| k >= a.nodes) {
        return Err(format!("--kill must be 0 to {}", a.nodes - 1));
    }
    Ok(a)
}

fn run_swim(args: &Args) -> ExitCode {
    let scenario = swim::Scenario {
        nodes: args.nodes,
        period: Duration::from_millis(args.period_ms),
        kill: args.kill.unwrap_or(args.nodes - 1),
        seed: args.seed,
        verbose: true,
    };
    let out = match swim::run(scenario) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("udp: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !out.joined {
        eprintln!(
            "udp: not every node joined within {} periods",
            swim::JOIN_PERIODS_MAX
        );
        return ExitCode::FAILURE;
    }
    if !out.detected {
        eprintln!(
            "udp: not every live node declared node {} dead within {} periods",
            scenario.kill,
            swim::DETECTION_PERIODS_MAX
        );
        return ExitCode::FAILURE;
    }
    let killed = out.killed_at.map_or(0, |t| t.0);
    let last = out
        .declared
        .iter()
        .map(|(_, t)| t.0)
        .max()
        .unwrap_or(killed);
    println!(
        "every live node holds node {} dead, {:.1} periods after the kill",
        scenario.kill,
        (last - killed) as f64 / 8.0
    );
    if !out.false_deaths.is_empty() {
        eprintln!("udp: live nodes declared dead: {:?}", out.false_deaths);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
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
    if args.membership == Source::Swim {
        return run_swim(&args);
    }
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
