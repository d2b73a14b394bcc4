//! The command line: `--name value` pairs, each checked against a named limit, and the options
//! every command takes. A mistake is a [`UsageError`]: printed on stderr, exit code 2.

use gossip_core::reconcile::{Strategy, TreeShape};

/// The most trials one invocation runs: a sweep is meant to finish in minutes, not days.
const TRIALS_MAX: u32 = 100_000;
/// The most node-trials one invocation may ask for (trials times nodes), for both commands: it
/// bounds the memory of the per-trial results and, for rumor mongering (whose runs end within
/// a few times `k log n` cycles, `k` at most 64), the work.
const NODE_TRIALS_MAX: u64 = 10_000_000_000;
/// The most threads one invocation starts.
const THREADS_MAX: u32 = 64;

/// The command-line spelling of `value` in `table`.
pub fn name_of<T: PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("?", |(n, _)| n)
}

/// A command-line mistake: printed on stderr, exit code 2.
pub struct UsageError(pub String);

#[derive(Clone, Copy, PartialEq)]
pub enum Format {
    /// One JSON object.
    Json,
    /// A table of the per-round curve.
    Csv,
    /// A readable summary.
    Text,
}

/// `--name value` pairs, consumed by the command that knows them; leftovers are errors.
pub struct Options {
    pairs: Vec<(String, String, bool)>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, UsageError> {
        let mut pairs = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                return Err(UsageError(format!(
                    "unexpected argument '{a}': options are --name value"
                )));
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let v = it
                        .next()
                        .ok_or_else(|| UsageError(format!("--{name} needs a value")))?;
                    // No value of ours starts with `--` (negative numbers have one dash):
                    // this is an option given where the value should be.
                    if v.starts_with("--") || v == "-h" {
                        return Err(UsageError(format!(
                            "--{name} needs a value, got the option '{v}'"
                        )));
                    }
                    (name.to_string(), v.clone())
                }
            };
            if pairs
                .iter()
                .any(|(n, _, _): &(String, String, bool)| *n == name)
            {
                return Err(UsageError(format!("--{name} given twice")));
            }
            pairs.push((name, value, false));
        }
        Ok(Options { pairs })
    }

    pub fn take(&mut self, name: &str) -> Option<String> {
        let p = self.pairs.iter_mut().find(|(n, _, _)| n == name)?;
        p.2 = true;
        Some(p.1.clone())
    }

    pub fn int<T>(&mut self, name: &str, default: T, min: T, max: T) -> Result<T, UsageError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        match v.parse::<T>() {
            Ok(x) if x >= min && x <= max => Ok(x),
            _ => Err(UsageError(format!(
                "--{name}: expected an integer from {min} to {max}, got '{v}'"
            ))),
        }
    }

    pub fn float(
        &mut self,
        name: &str,
        default: f64,
        min: f64,
        max: f64,
    ) -> Result<f64, UsageError> {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        match v.parse::<f64>() {
            // `+ 0.0` turns `-0` into `0`, so that it is echoed as `0`.
            Ok(x) if x >= min && x <= max => Ok(x + 0.0),
            _ => Err(UsageError(format!(
                "--{name}: expected a number from {min} to {max}, got '{v}'"
            ))),
        }
    }

    pub fn choice<T: Copy>(
        &mut self,
        name: &str,
        default: T,
        table: &[(&str, T)],
    ) -> Result<T, UsageError> {
        let Some(v) = self.take(name) else {
            return Ok(default);
        };
        table
            .iter()
            .find(|(s, _)| *s == v)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = table.iter().map(|(s, _)| *s).collect();
                UsageError(format!(
                    "--{name}: expected one of {}, got '{v}'",
                    names.join(", ")
                ))
            })
    }

    /// Fails on any option the command did not read.
    pub fn finish(self, command: &str) -> Result<(), UsageError> {
        match self.pairs.iter().find(|(_, _, used)| !used) {
            Some((n, _, _)) => Err(UsageError(format!("unknown option --{n} for {command}"))),
            None => Ok(()),
        }
    }

    /// `--format json|csv|text`.
    pub fn format(&mut self, default: Format) -> Result<Format, UsageError> {
        self.choice(
            "format",
            default,
            &[
                ("json", Format::Json),
                ("csv", Format::Csv),
                ("text", Format::Text),
            ],
        )
    }

    pub fn common(&mut self, nodes_max: u32) -> Result<Common, UsageError> {
        let nodes = self.int("nodes", 1000u32, 2, nodes_max)?;
        let trials = self.int("trials", 100u32, 1, TRIALS_MAX)?;
        let seed = self.int("seed", 0u64, 0, u64::MAX)?;
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get() as u32);
        let threads = self.int("threads", cores.min(THREADS_MAX), 1, THREADS_MAX)?;
        let format = self.format(Format::Text)?;
        if u64::from(nodes) * u64::from(trials) > NODE_TRIALS_MAX {
            return Err(UsageError(format!(
                "--trials {trials} x --nodes {nodes} exceeds {NODE_TRIALS_MAX} node-trials"
            )));
        }
        Ok(Common {
            nodes,
            trials,
            seed,
            format,
            // A thread without a trial would only cost its start-up.
            threads: threads.min(trials),
        })
    }
}

/// The options every command takes.
#[derive(Clone, Copy)]
pub struct Common {
    pub nodes: u32,
    pub trials: u32,
    pub seed: u64,
    pub format: Format,
    pub threads: u32,
}

/// Runs a command's `run` on `args` as the shell would pass them: the tests' way in.
#[cfg(test)]
pub fn run_args<S: AsRef<str>>(
    run: fn(Options) -> Result<String, UsageError>,
    args: &[S],
) -> Result<String, String> {
    let args: Vec<String> = args.iter().map(|a| a.as_ref().to_string()).collect();
    let o = Options::parse(&args).map_err(|UsageError(e)| e)?;
    run(o).map_err(|UsageError(e)| e)
}

/// [`run_args`] on one line split at whitespace.
#[cfg(test)]
pub fn run_line(
    run: fn(Options) -> Result<String, UsageError>,
    line: &str,
) -> Result<String, String> {
    run_args(run, &line.split_whitespace().collect::<Vec<_>>())
}

/// A `--strategy` choice: one reconciliation strategy, or all of them.
#[derive(Clone, Copy, PartialEq)]
enum StrategyChoice {
    Full,
    Digest,
    Merkle,
    Rateless,
    All,
}

const STRATEGY_CHOICES: &[(&str, StrategyChoice)] = &[
    ("full", StrategyChoice::Full),
    ("digest", StrategyChoice::Digest),
    ("merkle", StrategyChoice::Merkle),
    ("rateless", StrategyChoice::Rateless),
    ("all", StrategyChoice::All),
];

impl Options {
    /// `--strategy merkle|digest|full|rateless|all` (default all) and the Merkle tree's
    /// `--branching B --depth L` (2 to 1024, 1 to 24, B^L at most 2^20; defaults given), for
    /// `lab merkle` and `lab anti-entropy`: the strategies in print order, and the shape.
    pub fn strategies(
        &mut self,
        branching: u32,
        depth: u32,
    ) -> Result<(Vec<Strategy>, TreeShape), UsageError> {
        let choice = self.choice("strategy", StrategyChoice::All, STRATEGY_CHOICES)?;
        let branching = self.int("branching", branching, 2, 1024)?;
        let depth = self.int("depth", depth, 1, 24)?;
        let shape = TreeShape { branching, depth };
        shape
            .validate()
            .map_err(|e| UsageError(format!("--branching {branching} --depth {depth}: {e}")))?;
        let all = [
            Strategy::Full,
            Strategy::Digest,
            Strategy::Merkle(shape),
            Strategy::Rateless,
        ];
        let chosen = all
            .into_iter()
            .filter(|s| {
                choice == StrategyChoice::All || name_of(STRATEGY_CHOICES, choice) == s.name()
            })
            .collect();
        Ok((chosen, shape))
    }
}
