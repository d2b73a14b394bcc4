//! Proof links: a solved challenge as a link that anyone can replay and check again.
//!
//! A proof is the run's canonical link ([`Run::encode`]) followed by `ch=<id>&chv=<version>&
//! proof=<digest>`. Opening it replays the run and checks it again ([`super::check::Check`]); the
//! verdict always comes from that replay, never from the link's word. The digest says whether
//! the link is still as the page wrote it: it is the first 8 bytes, in hex, of SHA-256 (RustCrypto's
//! `sha2`) over this frozen text:
//! ```text
//! gossip-lab proof 1 \n <id> \n <version> \n <run link> \n <met> <round> <informed> <live> <apart_rounds>
//! ```
//! (no spaces around the `\n`s; the last line is the student's [`Outcome`], space-separated, `met`
//! as 0 or 1). Changing any field of the run by hand changes the link, and usually the outcome,
//! so the digest no longer matches and the grader says "edited". It is not a signature (there is
//! no server and so no secret: whoever reads this can compute one); what it gives a teacher is
//! that a link altered after solving is flagged, and the replay decides pass or fail regardless.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use sha2::{Digest, Sha256};

use super::goal::Outcome;
use super::{find, Challenge};
use crate::link::dissemination::{parse, Run};

/// Hex digits of a proof's digest (8 bytes).
pub const DIGEST_HEX_CHARS: usize = 16;

/// Why a link is not a proof that can be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProofError {
    /// The link names no challenge (`ch=`).
    NoChallenge,
    /// No challenge has this id.
    UnknownChallenge(String),
    /// The proof was made for another version of the challenge.
    OtherVersion {
        /// The challenge.
        id: &'static str,
        /// The version the link names.
        given: String,
        /// The version this release checks.
        current: u32,
    },
    /// `proof=` is missing or not 16 hex digits.
    BadDigest(String),
    /// The run's fields are not as the page writes them (the first notice).
    BadRun(String),
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProofError::NoChallenge => write!(f, "the link names no challenge (ch=)"),
            ProofError::UnknownChallenge(id) => write!(f, "no challenge is called {id}"),
            ProofError::OtherVersion { id, given, current } => write!(
                f,
                "the proof is for version {given} of {id}; this release checks version {current}"
            ),
            ProofError::BadDigest(d) => write!(f, "proof={d} is not {DIGEST_HEX_CHARS} hex digits"),
            ProofError::BadRun(n) => write!(f, "the run is not as the page writes it: {n}"),
        }
    }
}

/// A proof link, read.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The challenge it claims to solve.
    pub challenge: &'static Challenge,
    /// The student's run.
    pub run: Run,
    /// The digest it carries, in lower-case hex.
    pub digest: String,
}

impl Claim {
    /// Whether `outcome` (of replaying [`Claim::run`]) gives the digest the link carries.
    pub fn digest_matches(&self, outcome: &Outcome) -> bool {
        self.run
            .encode()
            .is_ok_and(|link| digest(self.challenge, &link, outcome) == self.digest)
    }
}

/// The proof link of `run`, which solved `challenge` with `outcome`; `None` when the run's
/// actions do not fit a link.
pub fn link(challenge: &Challenge, run: &Run, outcome: &Outcome) -> Option<String> {
    let base = run.encode().ok()?;
    let d = digest(challenge, &base, outcome);
    Some(format!(
        "{base}&ch={}&chv={}&proof={d}",
        challenge.id, challenge.version
    ))
}

/// Reads a proof link (a whole address or its query string).
pub fn read(link: &str) -> Result<Claim, ProofError> {
    let (mut id, mut version, mut proof) = (None, None, None);
    let (run, notices) = parse(link, &mut |name, value, _| {
        match name {
            "ch" => id = Some(value.to_string()),
            "chv" => version = Some(value.to_string()),
            "proof" => proof = Some(value.to_string()),
            // The page's view fields (round shown, speed, embedding) change no number.
            _ => {}
        }
        true
    });
    let id = id.ok_or(ProofError::NoChallenge)?;
    let challenge = find(&id).ok_or(ProofError::UnknownChallenge(id))?;
    let given = version.unwrap_or_default();
    if given != challenge.version.to_string() {
        return Err(ProofError::OtherVersion {
            id: challenge.id,
            given,
            current: challenge.version,
        });
    }
    let digest = proof.unwrap_or_default();
    let hex = digest.len() == DIGEST_HEX_CHARS && digest.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex {
        return Err(ProofError::BadDigest(digest));
    }
    if let Some(n) = notices.first() {
        return Err(ProofError::BadRun(n.to_string()));
    }
    Ok(Claim {
        challenge,
        run,
        digest: digest.to_ascii_lowercase(),
    })
}

/// The digest of a proof (see the module docs), in lower-case hex.
pub fn digest(challenge: &Challenge, run_link: &str, o: &Outcome) -> String {
    let text = format!(
        "gossip-lab proof 1\n{}\n{}\n{run_link}\n{} {} {} {} {}",
        challenge.id,
        challenge.version,
        u8::from(o.met),
        o.round,
        o.informed,
        o.live,
        o.apart_rounds
    );
    let hash = Sha256::digest(text.as_bytes());
    hash[..DIGEST_HEX_CHARS / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
