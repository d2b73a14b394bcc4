//! `lab cluster`: one run of the cluster simulator, headless, from the page's link and/or
//! options, printed round by round. The link is read by the core's own link reader
//! (`gossip_core::link::dissemination`), the same code the page reads it with, and the run is
//! stepped by its `Replay`, which steps the way the page's timeline does; so a link opened in
//! the page and the same link given here print the same numbers (`e2e/run.mjs` compares the
//! page's CSV export with this command's CSV).

use gossip_core::link::dissemination::{self as link, Replay, Row, Run};
use gossip_core::link::Notice;
use gossip_core::sim::RoundRecord;
use serde::Serialize;

use crate::options::{Format, Options, UsageError};

/// This command's section of `--help`.
pub const HELP: &str = "\
CLUSTER OPTIONS (lab cluster):
    --link L         a Gossip Lab link (the whole address or its query, e.g. '?s=epidemic&a=5c3'),
                     read as the page reads it; a value the page would replace is replaced
                     the same way, with a note on stderr. The page's view fields (speed, r,
                     band, embed, view) are accepted and do not change the run.
    Each option below sets the link field named after it, overriding the link:
    --scenario S     custom | epidemic | modes | rumor | partition | repair | bounds (s=)
    --nodes N        2 to 10000 (n=)                 --fanout K    1 to 16, below N (k=)
    --mode M         push | pull | pushpull | rumor | rumorpull (m=)
    --loss P         message loss in whole percent, 0 to 95; 0 with rumor mongering (loss=)
    --latency A[-B]  message latency in ticks, 1 to 16, a round is 4 ticks (lat=, latmax=)
    --gossip-ticks G ticks between a node's gossips, 1 to 16 (gi=)
    --stop S         feedback-counter | feedback-coin | blind-counter | blind-coin (stop=)
    --k K            rumor mongering's loss-of-interest parameter, 1 to 64 (rk=)
    --seed S         0 to 2^64-1 (seed=)
    --key K          the tracked key, when an action writes it (key=) [default: rumor]
    --actions A      the recorded actions, the link's a= text (a=)
    --membership M   oracle | swim: each node is told the live members, or keeps its own SWIM
                     view and gossips with the members it holds live (mem=) [default: oracle]
    --repair R       off | full | digest | merkle | rateless: anti-entropy repair sessions beside
                     the mode (ae=) [default: off]
    --repair-every E gossip intervals between a node's repair sessions, 1 to 64 (aei=)
    --rounds R       run at most R rounds, 0 to 5000 [default: 5000]; the run stops earlier
                     once nothing more can happen (the page's \"complete\")
    --format F       csv | json | text [default: csv]
  The run starts with node 0 writing the key 'rumor' at tick 0; a round is 4 ticks.
  Row r is what the page shows at round r: its informed count is the state at the start of
  round r, after round r's actions; its counts (r >= 1) are those of the ticks that led from
  round r-1 to round r.
  columns (csv; json has the same names per round):
    round            r
    informed         live nodes holding the newest version of the tracked key
    informed_fraction  informed / nodes
    live             live nodes
    messages         messages nodes sent during round r (requests and feedback included)
    data_messages    of those, the ones that can carry entries (push, push-pull, reply)
    bytes            bytes of the messages sent
    delivered        messages (network copies included) delivered to live nodes
    duplicates       delivered data messages that carried entries, none new to the receiver
    lost, cut        messages lost by a link, dropped by a partition
    overflow         messages dropped because too many were in flight
    to_down          messages that arrived at a crashed node
    rejected         messages a node rejected as malformed
    outbox_dropped   messages a node could not send because its outbox was full
    actions_applied, actions_failed   actions (node 0's first write included) applied, or
                     refused, from the start of round r-1 up to round r
    ae_bytes         bytes of anti-entropy repair sessions sent during round r (ae=; else 0)
    lacking          live nodes lacking at least one newest version (any key's) at round r
  (round 0 has no messages: its counts are 0.)

";

/// The command-line options that set a link field, and the field each sets.
const FIELDS: &[(&str, &str)] = &[
    ("scenario", "s"),
    ("nodes", "n"),
    ("fanout", "k"),
    ("mode", "m"),
    ("loss", "loss"),
    ("gossip-ticks", "gi"),
    ("stop", "stop"),
    ("k", "rk"),
    ("seed", "seed"),
    ("key", "key"),
    ("actions", "a"),
    ("membership", "mem"),
    ("repair", "ae"),
    ("repair-every", "aei"),
];

/// The page's view fields: part of its links, irrelevant to the numbers.
const VIEW_FIELDS: &[&str] = &["speed", "r", "band", "embed", "view"];

/// Runs `lab cluster` with the options left after the command name.
pub fn run(mut o: Options) -> Result<String, UsageError> {
    let link_text = o.take("link").unwrap_or_default();
    let format = o.format(Format::Csv)?;
    let rounds = o.int("rounds", link::ROUNDS_MAX, 0, link::ROUNDS_MAX)?;
    let overrides = field_overrides(&mut o)?;
    o.finish("cluster")?;
    let run = read_run(&link_text, &overrides)?;
    let rows = replay(&run, rounds)?;
    let complete = rows.complete;
    Ok(match format {
        Format::Csv => csv(&run, &rows, complete),
        Format::Json => json(&run, &rows, complete) + "\n",
        Format::Text => text(&run, &rows.rows, complete),
    })
}

/// The link fields the options set, in option order.
fn field_overrides(o: &mut Options) -> Result<Vec<(String, String)>, UsageError> {
    let mut fields = Vec::new();
    for (option, field) in FIELDS {
        if let Some(v) = o.take(option) {
            fields.push((field.to_string(), v));
        }
    }
    if let Some(v) = o.take("latency") {
        let (lo, hi) = v.split_once('-').unwrap_or((&v, &v));
        fields.push(("lat".into(), lo.to_string()));
        fields.push(("latmax".into(), hi.to_string()));
    }
    Ok(fields)
}

/// The run the link and the options name. A value from an option that the link reader had to
/// replace is an error (exit 2, like every other command's); one from the link is replaced as
/// the page replaces it, with a note on stderr.
fn read_run(link_text: &str, overrides: &[(String, String)]) -> Result<Run, UsageError> {
    // The link's own pairs, less those an option overrides, then the options' pairs.
    let mut query: Vec<String> = gossip_core::link::pairs(link_text)
        .into_iter()
        .filter(|(k, _)| !overrides.iter().any(|(f, _)| f == k))
        .map(|(k, v)| format!("{k}={}", escape(&v)))
        .collect();
    query.extend(overrides.iter().map(|(k, v)| format!("{k}={}", escape(v))));
    let (run, notices) = link::parse(&query.join("&"), &mut |k, _, _| VIEW_FIELDS.contains(&k));
    for n in &notices {
        if let Some(option) = option_of(n, overrides) {
            let used = match n.used.as_str() {
                "" => "it would be ignored".to_string(),
                u => format!("the page would use {u}"),
            };
            return Err(UsageError(format!(
                "--{option}: {} {} ({used})",
                n.given, n.why
            )));
        }
        eprintln!("lab: note: {n}");
    }
    Ok(run)
}

/// The option that gave the notice's parameter, if one did.
fn option_of(n: &Notice, overrides: &[(String, String)]) -> Option<&'static str> {
    if !overrides.iter().any(|(f, _)| *f == n.param) {
        return None;
    }
    match n.param.as_str() {
        "lat" | "latmax" => Some("latency"),
        p => FIELDS.iter().find(|(_, f)| *f == p).map(|(o, _)| *o),
    }
}

/// Escapes what the link reader would decode (`%`, `+`, `&`, `#`), so an option's value
/// reaches it as given.
fn escape(v: &str) -> String {
    v.replace('%', "%25")
        .replace('+', "%2B")
        .replace('&', "%26")
        .replace('#', "%23")
}

/// The rows of a replay of at most `rounds` rounds, the live nodes lacking at least one
/// newest version at each ([`link::Lacking`]), and whether it ended complete.
struct Rows {
    rows: Vec<Row>,
    lacking: Vec<u32>,
    complete: bool,
}

fn replay(run: &Run, rounds: u32) -> Result<Rows, UsageError> {
    let mut replay = Replay::new(run).map_err(UsageError)?;
    let lacking_now = |r: &Replay| link::Lacking::of(r.cluster()).nodes_lacking();
    let (mut rows, mut lacking) = (vec![replay.row()], vec![lacking_now(&replay)]);
    while replay.round() < rounds {
        match replay.step() {
            Some(row) => rows.push(row),
            None => break,
        }
        lacking.push(lacking_now(&replay));
    }
    let complete = link::is_settled(replay.cluster());
    Ok(Rows {
        rows,
        lacking,
        complete,
    })
}

/// A row's counts: those of its record, or zeros at round 0.
fn counts(row: &Row) -> RoundRecord {
    row.record.clone().unwrap_or_default()
}

fn canonical(run: &Run) -> String {
    // Every run read from a link encodes (the reader checks the actions against the same
    // limits), so the fallback only names the fact.
    run.encode()
        .unwrap_or_else(|e| format!("(not linkable: {e})"))
}

fn csv(run: &Run, all: &Rows, complete: bool) -> String {
    let rows = &all.rows;
    let mut out = format!(
        "# Gossip Lab cluster run (lab cluster)\n# link: {}\n# rounds: {} complete: {complete}\n",
        canonical(run),
        rows.len() - 1
    );
    out.push_str(
        "round,informed,informed_fraction,live,messages,data_messages,bytes,delivered,duplicates,lost,cut,overflow,to_down,rejected,outbox_dropped,actions_applied,actions_failed,ae_bytes,lacking\n",
    );
    let n = f64::from(run.nodes);
    for (row, lacking) in rows.iter().zip(&all.lacking) {
        let c = counts(row);
        let live = if row.record.is_some() {
            c.live_nodes
        } else {
            run.nodes
        };
        out.push_str(&format!(
            "{},{},{:.6},{live},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{lacking}\n",
            row.round,
            row.informed,
            f64::from(row.informed) / n,
            c.messages_sent,
            c.messages_data,
            c.bytes_sent,
            c.messages_delivered,
            c.messages_redundant,
            c.messages_lost,
            c.messages_cut,
            c.messages_overflow,
            c.messages_to_down,
            c.messages_rejected,
            c.outbox_dropped,
            c.actions_applied,
            c.actions_failed,
            c.anti_entropy.bytes_sent,
        ));
    }
    out
}

/// The JSON of `lab cluster --format json`. Its fields, and a row's, are declared in
/// alphabetical order, which is the order serde writes them in: the order of the hand-written
/// JSON this replaced (serde_json's maps sort their keys), so the output stayed byte for byte
/// the same. A new field goes in its alphabetical place.
#[derive(Serialize)]
struct ClusterJson<'a> {
    command: &'static str,
    complete: bool,
    key: &'a str,
    link: String,
    nodes: u32,
    rounds: Vec<RowJson>,
}

/// One round of [`ClusterJson`]: the CSV's columns, under the same names.
#[derive(Serialize)]
struct RowJson {
    actions_applied: u32,
    actions_failed: u32,
    ae_bytes: u64,
    bytes: u64,
    cut: u64,
    data_messages: u64,
    delivered: u64,
    duplicates: u64,
    informed: u32,
    informed_fraction: f64,
    lacking: u32,
    live: u32,
    lost: u64,
    messages: u64,
    outbox_dropped: u64,
    overflow: u64,
    rejected: u64,
    round: u32,
    to_down: u64,
}

impl RowJson {
    fn new(run: &Run, row: &Row, lacking: u32) -> RowJson {
        let c = counts(row);
        RowJson {
            actions_applied: c.actions_applied,
            actions_failed: c.actions_failed,
            ae_bytes: c.anti_entropy.bytes_sent,
            lacking,
            bytes: c.bytes_sent,
            cut: c.messages_cut,
            data_messages: c.messages_data,
            delivered: c.messages_delivered,
            duplicates: c.messages_redundant,
            informed: row.informed,
            informed_fraction: f64::from(row.informed) / f64::from(run.nodes),
            live: if row.record.is_some() {
                c.live_nodes
            } else {
                run.nodes
            },
            lost: c.messages_lost,
            messages: c.messages_sent,
            outbox_dropped: c.outbox_dropped,
            overflow: c.messages_overflow,
            rejected: c.messages_rejected,
            round: row.round,
            to_down: c.messages_to_down,
        }
    }
}

fn json(run: &Run, all: &Rows, complete: bool) -> String {
    let rows = all.rows.iter().zip(&all.lacking);
    let out = ClusterJson {
        command: "cluster",
        complete,
        key: &run.key,
        link: canonical(run),
        nodes: run.nodes,
        rounds: rows.map(|(r, &l)| RowJson::new(run, r, l)).collect(),
    };
    serde_json::to_string(&out).expect("plain numbers and strings serialize")
}

fn text(run: &Run, rows: &[Row], complete: bool) -> String {
    let last = rows.last().expect("a replay has its first row");
    let total = |f: fn(&RoundRecord) -> u64| -> u64 { rows.iter().map(|r| f(&counts(r))).sum() };
    let mut s = format!("lab cluster {}\n", canonical(run));
    s.push_str(&format!(
        "rounds {}{}: {} of {} nodes hold the newest '{}'\n",
        last.round,
        if complete { " (complete)" } else { "" },
        last.informed,
        run.nodes,
        run.key
    ));
    s.push_str(&format!(
        "messages {}  data {}  bytes {}  duplicates {}  lost {}  cut {}\n",
        total(|c| c.messages_sent),
        total(|c| c.messages_data),
        total(|c| c.bytes_sent),
        total(|c| c.messages_redundant),
        total(|c| c.messages_lost),
        total(|c| c.messages_cut),
    ));
    s
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::options::run_args;

    fn lab(line: &[&str]) -> Result<String, String> {
        run_args(run, line)
    }

    #[test]
    fn the_pages_view_fields_are_accepted_quietly_and_change_no_number() {
        let view = "?s=epidemic&seed=3&speed=4&r=2&band=1&embed=1&view=both";
        let (_, notices) = link::parse(view, &mut |k, _, _| VIEW_FIELDS.contains(&k));
        assert!(notices.is_empty(), "{notices:?}");
        let plain = lab(&["--link", "?s=epidemic&seed=3", "--format", "csv"]).unwrap();
        let viewed = lab(&["--link", view, "--format", "csv"]).unwrap();
        assert_eq!(plain, viewed);
    }

    #[test]
    fn options_set_the_link_fields_they_name_and_override_the_link() {
        let from_link = lab(&["--link", "?s=epidemic&seed=3", "--format", "json"]).unwrap();
        let from_options =
            lab(&["--scenario", "epidemic", "--seed", "3", "--format", "json"]).unwrap();
        assert_eq!(from_link, from_options);
        let v: Value = serde_json::from_str(&from_link).unwrap();
        assert_eq!(v["nodes"], 200);
        assert_eq!(v["complete"], true);
        let rounds = v["rounds"].as_array().unwrap();
        assert_eq!(rounds[0]["informed"], 1);
        assert_eq!(rounds.last().unwrap()["informed"], 200);
        // An option overrides the link's value of the same field.
        let over = lab(&[
            "--link",
            "?n=50&seed=3",
            "--nodes",
            "20",
            "--format",
            "json",
        ])
        .unwrap();
        let v: Value = serde_json::from_str(&over).unwrap();
        assert_eq!(v["nodes"], 20);
    }

    #[test]
    fn a_json_round_has_the_csv_columns_under_the_same_names_and_values() {
        let line = ["--link", "?s=partition&seed=3", "--rounds", "6"];
        let csv = lab(&line).unwrap();
        let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let json = lab(&[&line[..], &["--format", "json"]].concat()).unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        let rounds = v["rounds"].as_array().unwrap();
        assert_eq!(rounds.len(), 7);
        for (round, csv_row) in rounds.iter().zip(lines) {
            let mut names: Vec<&str> = round.as_object().unwrap().keys().map(|k| &**k).collect();
            names.sort_unstable();
            let mut columns = header.clone();
            columns.sort_unstable();
            assert_eq!(names, columns);
            for (name, field) in header.iter().zip(csv_row.split(',')) {
                let (a, b) = (
                    round[*name].as_f64().unwrap(),
                    field.parse::<f64>().unwrap(),
                );
                // The CSV writes the fraction to 6 decimals.
                assert!((a - b).abs() <= 5e-7, "{name}: json {a}, csv {b}");
            }
        }
        // Keys come out in alphabetical order, as the hand-written JSON's did.
        let first = &json[json.find("\"rounds\":[").unwrap()..];
        let first = &first[..first.find('}').unwrap()];
        let keys: Vec<&str> = first.split('"').skip(3).step_by(2).collect();
        assert_eq!(keys.first(), Some(&"actions_applied"));
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    #[test]
    fn a_bad_option_is_an_error_and_a_bad_link_value_is_replaced() {
        let e = lab(&["--nodes", "50000"]).unwrap_err();
        assert_eq!(
            e,
            "--nodes: 50000 is above the limit 10000 (the page would use 10000)"
        );
        let e = lab(&["--mode", "rumor", "--loss", "30"]).unwrap_err();
        assert!(
            e.starts_with("--loss: 30 does not apply to rumor mongering"),
            "{e}"
        );
        let e = lab(&["--latency", "3-2"]).unwrap_err();
        assert!(e.starts_with("--latency: 2 is below the minimum 3"), "{e}");
        // The same value in a link is replaced, as the page replaces it.
        let out = lab(&["--link", "?n=50000&r=3", "--rounds", "1"]).unwrap();
        assert!(out.contains("# link: ?s=custom&n=10000&"), "{out}");
    }

    #[test]
    fn rounds_bound_the_replay_and_a_settled_run_stops_early() {
        let out = lab(&["--nodes", "100", "--rounds", "3"]).unwrap();
        let rows: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows.len(), 1 + 4, "a header and rounds 0 to 3");
        assert!(rows[1].starts_with("0,1,0.010000,100,0,"), "{}", rows[1]);
        assert!(out.contains("complete: false"), "{out}");
        // Crashing the only informed node leaves nothing to happen: one row, complete.
        let out = lab(&["--nodes", "20", "--actions", "c0"]).unwrap();
        assert!(out.contains("# rounds: 0 complete: true"), "{out}");
    }

    #[test]
    fn the_repair_scenario_prints_its_nodes_lacking_and_repair_bytes_per_round() {
        let out = lab(&["--link", "?s=repair", "--format", "json"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rounds = v["rounds"].as_array().unwrap();
        // Seed 1: every node lacks the other side's writes just before the heal at round 20,
        // none after round 45, and anti-entropy bytes are counted.
        assert_eq!(rounds.len(), 46);
        assert_eq!(rounds[19]["lacking"], 48);
        assert_eq!(rounds[45]["lacking"], 0);
        let ae: u64 = rounds.iter().map(|r| r["ae_bytes"].as_u64().unwrap()).sum();
        assert!(ae > 0);
        let csv = lab(&["--link", "?s=repair", "--rounds", "20"]).unwrap();
        let header = csv.lines().find(|l| !l.starts_with('#')).unwrap();
        assert!(header.ends_with(",ae_bytes,lacking"), "{header}");
        assert!(csv.lines().last().unwrap().ends_with(",48"), "{csv}");
        assert_eq!(
            lab(&["--repair", "merkel"]).unwrap_err(),
            "--repair: merkel is not an anti-entropy repair (off, full, digest, merkle or rateless) (the page would use off)"
        );
    }
}
