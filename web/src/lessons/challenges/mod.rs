//! The core's challenges (`gossip_core::challenge`) on the page, with no server: a link with
//! `ch=<id>` opens the challenge's base run in the dissemination lab beside a
//! [`panel::ChallengePanel`] (its brief, its budget, a live status from checking the student's
//! run, and once solved a proof link); a proof link (`ch=…&chv=…&proof=…`) opens the same
//! page, which replays and checks it again; `?grade=1` is the teacher's
//! [`grade_page::GradePage`], which checks a pasted list of proof links.
//!
//! Every check is the core's incremental [`gossip_core::challenge::check::Check`], driven a
//! slice of each animation frame ([`work`]), so a robust challenge's hundreds of replays never
//! freeze the page. What is shown is worded by plain, host-tested functions ([`status`] for the
//! panel, [`grade`] for a line of the grading page, which the panel's proof check reuses).

pub mod grade;
pub mod grade_page;
pub mod panel;
pub mod status;
pub mod work;
