//! `lab challenge`: the catalogue of challenges, and the check of proof links headlessly, by the
//! core's own check (`gossip_core::challenge`), the code the page checks with: a teacher can grade
//! a list of proof links from a shell with the same verdicts the grading page gives.

use gossip_core::challenge::check::{Check, Verdict};
use gossip_core::challenge::{proof, CHALLENGES};
use serde::Serialize;

use crate::options::{Format, Options, UsageError};

/// This command's section of `--help`.
pub const HELP: &str = "\
CHALLENGE OPTIONS (lab challenge):
    (no option)      print every challenge: id, version, title, what to do
    --check L        replay the proof link L (the whole address or its query) and check it again:
                     the verdict comes from the replay; the digest says whether the link is still
                     as the page wrote it ('edited' otherwise)
    --links FILE     check every proof link in FILE, one per line (blank lines skipped), one
                     verdict each; a line that is not a proof says why
    --format F       text | json [default: text]
  A robust challenge replays the student's choices on fresh seeds derived from the challenge's
  own exam seed (derive(exam_seed, Trial, i)); it stops as soon as the count decides.

";

#[derive(Serialize)]
struct Checked {
    link: String,
    challenge: Option<String>,
    passed: bool,
    digest_matches: Option<bool>,
    verdict: Option<Verdict>,
    error: Option<String>,
}

pub fn run(mut opts: Options) -> Result<String, UsageError> {
    let format = opts.choice(
        "format",
        Format::Text,
        &[("text", Format::Text), ("json", Format::Json)],
    )?;
    let mut links: Vec<String> = opts.take("check").into_iter().collect();
    if let Some(file) = opts.take("links") {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| UsageError(format!("--links: cannot read '{file}': {e}")))?;
        links.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    opts.finish("challenge")?;
    if links.is_empty() {
        return Ok(catalogue(format));
    }
    let checked: Vec<Checked> = links.iter().map(|l| check(l)).collect();
    Ok(match format {
        Format::Json => serde_json::to_string(&checked).expect("plain data serializes") + "\n",
        _ => checked.iter().map(line).collect(),
    })
}

fn check(link: &str) -> Checked {
    let claim = match proof::read(link) {
        Ok(c) => c,
        Err(e) => {
            return Checked {
                link: link.to_string(),
                challenge: None,
                passed: false,
                digest_matches: None,
                verdict: None,
                error: Some(e.to_string()),
            }
        }
    };
    let verdict = Check::new(claim.challenge, &claim.run).run_to_end();
    let digest_matches = verdict.student.as_ref().map(|o| claim.digest_matches(o));
    Checked {
        link: link.to_string(),
        challenge: Some(claim.challenge.id.to_string()),
        passed: verdict.passed,
        digest_matches,
        verdict: Some(verdict),
        error: None,
    }
}

fn line(c: &Checked) -> String {
    let Some(v) = &c.verdict else {
        return format!("not a proof: {}\n", c.error.as_deref().unwrap_or(""));
    };
    let edited = match c.digest_matches {
        Some(false) => " (edited: the digest does not match the replay)",
        _ => "",
    };
    format!(
        "{} {}{edited}: {}\n",
        c.challenge.as_deref().unwrap_or("?"),
        if c.passed { "PASS" } else { "FAIL" },
        v.sentence
    )
}

#[derive(Serialize)]
struct Entry {
    id: &'static str,
    version: u32,
    title: &'static str,
    brief: &'static str,
    robust_seeds: Option<u32>,
}

fn catalogue(format: Format) -> String {
    let entries: Vec<Entry> = CHALLENGES
        .iter()
        .map(|c| Entry {
            id: c.id,
            version: c.version,
            title: c.title,
            brief: c.brief,
            robust_seeds: c.robust.map(|r| r.seeds),
        })
        .collect();
    match format {
        Format::Json => serde_json::to_string(&entries).expect("plain data serializes") + "\n",
        _ => entries
            .iter()
            .map(|e| {
                format!(
                    "{} (version {}): {}\n    {}\n",
                    e.id, e.version, e.title, e.brief
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use gossip_core::challenge::{check::Check, find, proof};
    use gossip_core::link::dissemination::parse;

    use crate::options::run_args;

    fn lab(args: &[&str]) -> String {
        run_args(super::run, args).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn it_lists_the_catalogue_and_checks_a_proof_and_an_edited_one() {
        let list = lab(&[]);
        for id in ["miss10", "fanout99", "apart20"] {
            assert!(list.contains(&format!("{id} (version 1)")), "{list}");
        }
        let (run, _) = parse("?s=partition&a=p0-31~32-63_25h", &mut |_, _, _| false);
        let ch = find("apart20").unwrap();
        let v = Check::new(ch, &run).run_to_end();
        let link = proof::link(ch, &run, v.student.as_ref().unwrap()).unwrap();
        let out = lab(&["--check", &link]);
        assert!(
            out.starts_with("apart20 PASS: apart for 25 rounds"),
            "{out}"
        );
        let out = lab(&["--check", &link.replace("_25h", "_26h")]);
        assert!(out.starts_with("apart20 PASS (edited"), "{out}");
        let out = lab(&["--check", "?s=partition", "--format", "json"]);
        assert!(
            out.contains("\"error\":\"the link names no challenge (ch=)\""),
            "{out}"
        );
    }
}
