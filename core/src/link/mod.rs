//! A permalink's query string: the text that names a run, read the same way by the page and by
//! the headless runner (`lab cluster --link`), so a link replays the same numbers in both.
//!
//! A link is a list of `name=value` pairs. Reading one never fails: each value is checked on
//! its own, and a value that cannot be used as given is replaced by one that can, with a
//! [`Notice`] that names the parameter, the value given, the value used and why. A broken link
//! therefore still opens a working run, and says what it fixed.
//!
//! This module holds what every lab's link shares (the pairs, percent-decoding, notices, the
//! typed field readers); each lab's own fields live in a submodule:
//! * [`dissemination`]: the dissemination lab's run (nodes, mode, fanout, loss, latency, rumor
//!   mongering's stop rule, the seed, the tracked key, the recorded actions `a=` in the
//!   [`crate::script`] text) and the scenarios that preset it.
//! * [`membership`]: the membership lab's run (SWIM's nodes, period, loss, indirect probes,
//!   suspicion, Lifeguard's parts, probe order, the comparison without Lifeguard, the seed, the
//!   actions) and its scenarios.
//! * [`anti_entropy`]: the anti-entropy lab's pair of replicas (keys, differences, the
//!   strategy shown, the tree's shape, the seed), the same pair the runner's `lab merkle` draws.
//! * [`lesson`]: a lesson's progress beside a lab's run (the lesson, the step, the predictions);
//!   every lab's parser leaves those fields to it.
//! * [`teacher`]: a teacher's fields beside a lab's run (locked and hidden controls, playing on
//!   load, projector mode, the teacher notes); every lab's parser leaves those fields to it too.
//!
//! The page's own view fields (speed, the round viewed, the trials band, embedding) are read by
//! the page, in the same pass and the same order, through the callback of
//! [`dissemination::parse`], so notices come out in the order the link lists its parameters.

pub mod anti_entropy;
pub mod dissemination;
pub mod lesson;
pub mod membership;
pub mod teacher;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// The longest run, in rounds, for every lab: with 95 % loss a 10,000-node pull still completes
/// in a few hundred rounds, so this bound only stops a run that can never finish. Also the
/// largest round a link may open at (`r=`) and the latest round an action may be recorded for.
pub const ROUNDS_MAX: u32 = 5_000;

/// Longest echo of a bad value in a notice, in characters; a longer one is cut with `…`.
pub const ECHO_CHARS_MAX: usize = 40;

/// A parameter of a link that could not be used as given.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Notice {
    /// The parameter's name in the link.
    pub param: String,
    /// The value given, printable and at most [`ECHO_CHARS_MAX`] characters.
    pub given: String,
    /// What is used instead (empty when the parameter is ignored).
    pub used: String,
    /// Why, as a phrase that follows the value ("is above the limit 10000").
    pub why: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parameter {}={} {}", self.param, self.given, self.why)?;
        if self.used.is_empty() {
            write!(f, "; ignored.")
        } else {
            write!(f, "; using {}.", self.used)
        }
    }
}

/// The `name=value` pairs of a query string, percent-decoded, in order. Takes a whole link too:
/// everything up to the first `?` and from the first `#` is ignored.
pub fn pairs(link: &str) -> Vec<(String, String)> {
    let query = link.split('#').next().unwrap_or("");
    let query = match query.split_once('?') {
        Some((_, q)) => q,
        None => query,
    };
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(kv), String::new()),
        })
        .collect()
}

/// The query `link` without the pairs whose (decoded) name `drop` names, the rest as written
/// (`?…`, or empty when nothing is left): a link without the fields one reader owns.
pub fn without(link: &str, drop: impl Fn(&str) -> bool) -> String {
    let query = link.split('#').next().unwrap_or("");
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| !drop(&percent_decode(kv.split('=').next().unwrap_or(""))))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        alloc::format!("?{}", kept.join("&"))
    }
}

/// Decodes `%XX` escapes and `+` (a space in query strings); bad escapes are kept as text and
/// invalid UTF-8 becomes U+FFFD, so any input decodes.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Keeps a notice's echo of a bad value short and printable.
fn shown(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_control())
        .take(ECHO_CHARS_MAX)
        .collect();
    if value.chars().count() > ECHO_CHARS_MAX {
        alloc::format!("{clean}…")
    } else {
        clean
    }
}

/// Typed readers of a link's values, collecting a [`Notice`] for each value they replace.
#[derive(Debug, Default)]
pub struct Fields {
    notices: Vec<Notice>,
}

impl Fields {
    /// Records that `param=given` was replaced by `used` (empty: ignored) because of `why`.
    pub fn note(&mut self, param: &str, given: &str, used: impl ToString, why: impl ToString) {
        self.notices.push(Notice {
            param: param.to_string(),
            given: shown(given),
            used: used.to_string(),
            why: why.to_string(),
        });
    }

    /// An integer in `min..=max`: a value out of range (a huge or negative one included) is
    /// clamped to the nearer bound; anything else falls back to `fallback`. Each says so.
    pub fn int(&mut self, param: &str, given: &str, min: u64, max: u64, fallback: u64) -> u64 {
        let trimmed = given.trim();
        match trimmed.parse::<u64>() {
            Ok(v) if v < min => {
                self.note(
                    param,
                    given,
                    min,
                    alloc::format!("is below the minimum {min}"),
                );
                min
            }
            Ok(v) if v > max => {
                self.note(
                    param,
                    given,
                    max,
                    alloc::format!("is above the limit {max}"),
                );
                max
            }
            Ok(v) => v,
            Err(_) => {
                let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
                if digits(trimmed) {
                    // Too many digits for a u64: still above the limit, not "not a number".
                    self.note(
                        param,
                        given,
                        max,
                        alloc::format!("is above the limit {max}"),
                    );
                    return max;
                }
                if trimmed.strip_prefix('-').is_some_and(digits) {
                    self.note(
                        param,
                        given,
                        min,
                        alloc::format!("is below the minimum {min}"),
                    );
                    return min;
                }
                self.note(param, given, fallback, "is not a whole number");
                fallback
            }
        }
    }

    /// A flag written `0` or `1`; anything else keeps `fallback` and says so.
    pub fn flag(&mut self, param: &str, given: &str, fallback: bool) -> bool {
        match given {
            "1" => true,
            "0" => false,
            _ => {
                self.note(param, given, u8::from(fallback), "is not 0 or 1");
                fallback
            }
        }
    }

    /// The notices so far, in the order they were made.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Takes the notices, leaving none.
    pub fn into_notices(self) -> Vec<Notice> {
        self.notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn pairs_are_read_from_a_query_or_a_whole_link_and_percent_decoded() {
        let want = vec![
            ("n".to_string(), "5".to_string()),
            ("key".to_string(), "a b/c".to_string()),
            ("flag".to_string(), String::new()),
        ];
        assert_eq!(pairs("?n=5&key=a+b%2Fc&flag"), want);
        assert_eq!(pairs("n=5&key=a+b%2Fc&&flag"), want);
        assert_eq!(
            pairs("http://127.0.0.1:8080/?n=5&key=a+b%2Fc&flag#top"),
            want
        );
        assert!(pairs("").is_empty() && pairs("?").is_empty());
    }

    #[test]
    fn bad_escapes_and_invalid_utf8_decode_without_panicking() {
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn integers_are_clamped_or_fall_back_and_each_replacement_is_said() {
        let mut f = Fields::default();
        assert_eq!(f.int("n", "7", 2, 10, 5), 7);
        assert_eq!(f.int("n", "1", 2, 10, 5), 2);
        assert_eq!(f.int("n", "99999999999999999999999", 2, 10, 5), 10);
        assert_eq!(f.int("n", "-3", 2, 10, 5), 2);
        assert_eq!(f.int("n", "x", 2, 10, 5), 5);
        let said: Vec<String> = f.notices().iter().map(|n| n.to_string()).collect();
        assert_eq!(
            said,
            [
                "Parameter n=1 is below the minimum 2; using 2.",
                "Parameter n=99999999999999999999999 is above the limit 10; using 10.",
                "Parameter n=-3 is below the minimum 2; using 2.",
                "Parameter n=x is not a whole number; using 5.",
            ]
        );
    }

    #[test]
    fn a_long_or_unprintable_value_is_echoed_short_and_clean() {
        let mut f = Fields::default();
        let long = "9".repeat(100) + "x";
        f.int("n", &long, 2, 10, 5);
        f.flag("band", "\u{7}2", false);
        let n = f.into_notices();
        assert_eq!(n[0].given.chars().count(), ECHO_CHARS_MAX + 1);
        assert!(n[0].given.ends_with('…'));
        assert_eq!(n[1].given, "2");
    }
}
