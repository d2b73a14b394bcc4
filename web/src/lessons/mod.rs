//! Lessons and challenges: guided uses of the labs. [`challenges`] puts the core's challenges
//! (`gossip_core::challenge`) on the page: the panel beside the lab, proof links and the
//! teacher's grading page.

pub mod challenges;
