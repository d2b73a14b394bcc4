//! The simulator's API for an interactive viewer (the web app): applying due actions at once,
//! forking a schedule, collecting a round's messages tick by tick, and telling when rumor
//! mongering has nothing left to carry.

use gossip_core::node::{Exchange, Mode, RumorConfig, RumorFeedback, RumorStop};
use gossip_core::sim::{Action, Cluster, ClusterConfig};
use gossip_core::time::Round;

fn cluster(nodes: u32, mode: Mode) -> Cluster {
    let mut c = ClusterConfig::new(nodes, 7);
    c.node.mode = mode;
    let mut cluster = Cluster::new(c).unwrap();
    cluster.write(0, b"rumor", b"1").unwrap();
    cluster
}

fn push(nodes: u32) -> Cluster {
    cluster(nodes, Mode::AntiEntropy(Exchange::Push))
}

#[test]
fn apply_due_shows_an_action_at_once_and_the_next_tick_does_not_repeat_it() {
    let mut a = push(10);
    a.step_rounds(2);
    let mut b = a.clone();
    a.schedule(Round(2), Action::Crash(3)).unwrap();
    a.apply_due();
    assert!(!a.is_up(3), "applied before the round's first tick");
    b.schedule(Round(2), Action::Crash(3)).unwrap();
    a.step_rounds(5);
    b.step_rounds(5);
    assert_eq!(a.last_record(), b.last_record());
    assert_eq!(a.history(), b.history());
    assert_eq!(a.pending_actions(), 0);
}

#[test]
fn unscheduling_after_a_round_drops_only_the_later_pending_actions() {
    let mut c = push(10);
    for (r, n) in [(1, 1), (3, 3), (3, 4), (6, 6)] {
        c.schedule(Round(r), Action::Crash(n)).unwrap();
    }
    c.step_rounds(2);
    assert_eq!(c.unschedule_after(Round(3)), 1);
    assert_eq!(c.pending_actions(), 2);
    c.step_rounds(10);
    assert!(c.is_up(6) && !c.is_up(3) && !c.is_up(4));
}

#[test]
fn messages_collected_tick_by_tick_are_each_message_of_the_round_once() {
    let mut c = push(200);
    c.step_rounds(3);
    let mut views = Vec::new();
    for _ in 0..4 {
        let t = c.now();
        c.step_tick();
        c.message_views_since(b"rumor", t, &mut views);
    }
    let record = c.last_record().unwrap();
    assert_eq!(views.len() as u64, record.messages_sent);
    assert_eq!(
        record.messages_data, record.messages_sent,
        "push sends only data"
    );
}

#[test]
fn rumor_mongering_ends_quiescent_with_data_counted_apart_from_feedback() {
    let mode = Mode::Rumor(RumorConfig {
        exchange: Exchange::Push,
        feedback: RumorFeedback::Feedback,
        stop: RumorStop::Counter(2),
    });
    let mut c = cluster(300, mode);
    let mut sent = 0;
    let mut data = 0;
    for _ in 0..200 {
        c.step_round();
        let r = c.last_record().unwrap();
        sent += r.messages_sent;
        data += r.messages_data;
        if (0..300).all(|i| !c.node(i).unwrap().is_infective()) && c.is_quiescent() {
            break;
        }
    }
    assert!(c.is_quiescent());
    assert!(
        data > 0 && sent > data,
        "feedback messages are not data: {sent} vs {data}"
    );
}
