//! The CSV of the per-period metrics: one row per period of the run (and, with the comparison,
//! the same columns of the run without Lifeguard), the numbers the chart draws. The false
//! suspicions and deaths count every up member; the `_of_slow` columns are those of a slow
//! member, so a healthy member's are the difference (what the chart draws).

use gossip_core::sim::RoundRecord;

/// The file name of the CSV of a run of `scenario` with `seed`.
pub fn file_name(scenario: &str, seed: u64) -> String {
    format!("gossip-lab-membership-{scenario}-seed{seed}.csv")
}

/// The header of [`csv`].
pub const HEADER: &str = "period,live_nodes,messages_sent,bytes_sent,live_probes,false_suspicions,false_deaths,false_suspicions_of_slow,false_deaths_of_slow,first_detections,full_detections,updates_spread,update_spread_periods";

/// Period `period`'s row: the record of the round that ended there.
fn row(period: usize, r: &RoundRecord) -> String {
    let m = &r.membership;
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},{}",
        period,
        r.live_nodes,
        r.messages_sent,
        r.bytes_sent,
        m.live_probes,
        m.false_suspicions,
        m.false_deaths,
        m.false_suspicions_of_slow,
        m.false_deaths_of_slow,
        m.first_detections,
        m.full_detections,
        m.updates_spread,
        m.update_spread_periods
    )
}

/// The CSV of `main`'s records, with `compare`'s (Lifeguard off) as a second block of columns
/// (prefixed `off_`) when given, after a comment naming the run's `link` (which replays it).
pub fn csv(link: &str, main: &[RoundRecord], compare: Option<&[RoundRecord]>) -> String {
    let mut out = format!("# Gossip Lab membership metrics, one row per period\n# link: {link}\n");
    out.push_str(HEADER);
    if compare.is_some() {
        for c in HEADER.split(',').skip(1) {
            out.push_str(",off_");
            out.push_str(c);
        }
    }
    out.push('\n');
    for (i, r) in main.iter().enumerate() {
        out.push_str(&row(i + 1, r));
        if let Some(c) = compare {
            let other = c.get(i).map(|r| row(i + 1, r)).unwrap_or_default();
            let rest: Vec<&str> = other.split(',').skip(1).collect();
            out.push(',');
            out.push_str(&rest.join(","));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_core::time::Round;

    #[test]
    fn one_row_per_period_with_the_comparison_beside_it() {
        let mut r = RoundRecord {
            round: Round(0),
            live_nodes: 4,
            ..RoundRecord::default()
        };
        r.membership.false_deaths = 2;
        r.membership.false_deaths_of_slow = 1;
        let text = csv("?lab=membership", &[r.clone()], Some(&[r]));
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].split(',').count(), 25);
        assert!(lines[0].contains(",false_deaths,false_suspicions_of_slow,false_deaths_of_slow,"));
        assert!(lines[0].contains(",off_false_deaths_of_slow,"));
        assert_eq!(
            lines[1],
            "1,4,0,0,0,0,2,0,1,0,0,0,0,4,0,0,0,0,2,0,1,0,0,0,0"
        );
    }
}
