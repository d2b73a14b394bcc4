//! Gossip Lab in the browser: a Yew app that steps the `gossip-core` simulator round by round,
//! draws the cluster and a chart on canvases, and encodes everything in its link.
//!
//! The page is a shell and labs (after RaftScope and Yew's examples): the shell knows each lab
//! only through [`labs::Lab`], and a lab's model only through [`shell::timeline::Model`].
//! A new lab is a folder under `labs/` and one arm per method of `Lab`.
//!
//! # Module map
//! * [`app`]: the shell component (header, lab picker, help dialog, the page's keys).
//! * [`shell`]: what every lab shares:
//!   * [`shell::timeline`]: the [`shell::timeline::Model`] trait and `Timeline<M>`
//!     (checkpoints, exact rewinding, inserting, deleting and undoing actions, and forking;
//!     host-tested);
//!   * [`shell::actions`]: the Actions list component, the actions' plain descriptions and
//!     the timeline's marks;
//!   * [`shell::playback`]: wall time to model time, the per-frame budget, "speed limited";
//!   * [`shell::controls`]: the transport bar component (play, back, step, reset, sliders);
//!   * [`shell::notices`]: the bounded, de-duplicated notice list and its component;
//!   * [`shell::help`]: the modal help dialog component;
//!   * [`shell::keys`]: the keyboard switch and the shortcut filter;
//!   * [`shell::start`]: what every lab sets up when created (loading line, keys, embed);
//!   * [`shell::canvas`]: a canvas's ref, dirty flag and what was painted last;
//!   * [`shell::caption`]: a scenario's caption, plain words first and the details behind
//!     "More", its terms linked to the glossary;
//!   * [`shell::share`]: the address bar, the clipboard and downloads;
//!   * [`shell::stats`]: `window.gossipLabStats` for the e2e tests and benchmarks;
//!   * [`shell::script_api`]: `window.gossipLab`, the run for a script on the page;
//!   * [`shell::embed`]: the embed's messages to and from its parent frame (height, rounds,
//!     play and pause);
//!   * [`shell::embed_code`]: "Get embed code", the iframe and `<gossip-lab>` snippets;
//!   * [`shell::teacher`]: a teacher's link on the page (locks, hides, playing on load,
//!     projector mode, the notes), asked by the labs' markup as it renders;
//!   * [`shell::dom`]: the window, the clock, reduced motion, scrolling into view;
//!   * [`shell::theme`]: the colour tokens the canvases and the CSS share (a test keeps the
//!     stylesheet's custom properties equal to them).
//! * [`labs`]: the `Lab` enum and [`labs::LabProps`]; [`labs::teach`], the names a teacher's
//!   link gives each lab's controls; one folder per lab:
//!   * [`labs::dissemination`]: the dissemination lab's component, with its parts:
//!     [`labs::dissemination::model`] (the engine over the core's cluster; `impl Model`),
//!     [`labs::dissemination::params`] (parameters, limits, scenarios),
//!     [`labs::dissemination::url`] (the permalink codec),
//!     [`labs::dissemination::band`] (the band of trials on the core's fast kernel),
//!     [`labs::dissemination::bounds`] (the convergence-bounds sweep),
//!     [`labs::dissemination::draw`] (painting the canvases: colours and primitives, and
//!     one file per canvas, [`labs::dissemination::draw::cluster`](mod@labs::dissemination::draw::cluster),
//!     [`labs::dissemination::draw::chart`](mod@labs::dissemination::draw::chart), [`labs::dissemination::draw::bounds`](mod@labs::dissemination::draw::bounds);
//!     [`labs::dissemination::draw::legend`](mod@labs::dissemination::draw::legend), the marks'
//!     names for the page and the export, [`labs::dissemination::draw::lacking`](mod@labs::dissemination::draw::lacking),
//!     the cluster shaded by the newest versions each node lacks, and
//!     [`labs::dissemination::draw::figure`](mod@labs::dissemination::draw::figure), the exported PNG),
//!     [`labs::dissemination::paint`] (the canvases, and which to paint, when),
//!     [`labs::dissemination::chart`] (theory curves, trials, the chart's painting, note and
//!     markup),
//!     [`labs::dissemination::session`] (the lab's state on the page: the run, the player,
//!     the canvases, the selection, the address bar; the glue between them),
//!     [`labs::dissemination::frame`] (one animation frame),
//!     [`labs::dissemination::player`] (playback, the message animation, the catch-up),
//!     [`labs::dissemination::run`] (the run apart from the page: parameters, restarts,
//!     actions, notices; host-tested),
//!     [`labs::dissemination::transport`] (what the transport, a change, an action do on
//!     the page),
//!     [`labs::dissemination::inspector`] (the inspected node),
//!     [`labs::dissemination::partition`] (selection and cutting),
//!     [`labs::dissemination::keys`] (the lab's shortcuts and help rows),
//!     [`labs::dissemination::actions`] (the Actions list and its commands),
//!     [`labs::dissemination::scenarios`] (the scenario picker),
//!     [`labs::dissemination::repair`] (anti-entropy repair's fields, the legend by what
//!     nodes lack, the repair chart),
//!     [`labs::dissemination::export`] (the address bar, permalink, Copy link, CSV, PNG),
//!     [`labs::dissemination::view`] and [`labs::dissemination::panel`] (the markup).
//!   * [`labs::membership`]: the membership lab (SWIM with Lifeguard): [`labs::membership::model`]
//!     (the engine; `impl Model`), [`labs::membership::run`] (the run and its comparison without
//!     Lifeguard; host-tested), [`labs::membership::url`] (the permalink over the core's
//!     `link::membership`), [`labs::membership::classify`] (each message's kind, relayed or not),
//!     [`labs::membership::draw`] (the cluster and the legend), [`labs::membership::matrix`],
//!     [`labs::membership::chart`], [`labs::membership::inspector`], [`labs::membership::keys`],
//!     [`labs::membership::export`] (the CSV), [`labs::membership::scenarios`] (the captions),
//!     [`labs::membership::view`] (the markup), [`labs::membership::paint`] (the canvases),
//!     [`labs::membership::catchup`] (a late link's period computed over frames),
//!     [`labs::membership::actions`] (inserting and editing actions on both runs, the list).
//!   * [`labs::anti_entropy`]: the anti-entropy lab (a pair of replicas repaired):
//!     [`labs::anti_entropy::model`] (the pair, its trees and its repair recorded turn by turn;
//!     host-tested), [`labs::anti_entropy::url`] (the permalink over the core's
//!     `link::anti_entropy`), [`labs::anti_entropy::rows`] (a level as at most 128 cells),
//!     [`labs::anti_entropy::draw`] (the two trees), [`labs::anti_entropy::compare`] (the same
//!     pair by each strategy), [`labs::anti_entropy::sweep`] (bytes against d, over frames),
//!     [`labs::anti_entropy::chart`] (its log-log drawing), [`labs::anti_entropy::caption`]
//!     (the words), [`labs::anti_entropy::view`] (the markup), [`labs::anti_entropy::keys`],
//!     [`labs::anti_entropy::embed`] (the figure for a post and its embed code).
//! * [`lessons`]: guided lessons (predict, observe, explain) over the labs:
//!   [`lessons::format`] (the plain data of a lesson), [`lessons::facts`] (the numbers a step
//!   states, from the kernel and the theory module), [`lessons::measure`] (what a step reads
//!   off the recorded run), [`lessons::glossary`] (the terms and the prose markup),
//!   [`lessons::player`] (the lesson panel component), and the lessons [`lessons::epidemic`],
//!   [`lessons::modes`], [`lessons::rumor`], [`lessons::partition`], [`lessons::repair`],
//!   [`lessons::membership`];
//!   [`lessons::notes`] (the teacher notes of every lesson and challenge, and their panel),
//!   [`lessons::catalogue`] (the catalogue page, `?catalogue=1`);
//!   [`lessons::challenges`]: the core's challenges on
//!   the page: [`lessons::challenges::panel`] (the panel beside the lab: brief, budget, live
//!   status, the robust check, the proof link, an opened proof's check),
//!   [`lessons::challenges::grade_page`] (the teacher's grading page, `?grade=1`),
//!   [`lessons::challenges::grade`] (one pasted line: read, replayed, described; host-tested),
//!   [`lessons::challenges::status`] (the panel's sentences; host-tested),
//!   [`lessons::challenges::work`] (a check driven a slice of each frame).
//! * Pure, browser-free helpers, host-tested: [`layout`] (node positions and hit-testing),
//!   [`select`] (lasso and shift-click selection), [`chart`] (scales and ticks).

pub mod app;
pub mod chart;
pub mod labs;
pub mod layout;
pub mod lessons;
pub mod select;
pub mod shell;

pub use app::App;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The module paths of every `pub mod` under `dir` (`prefix` names `dir`'s module).
    fn modules(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_str().unwrap().to_string();
            let here = match stem.as_str() {
                "lib" | "mod" => prefix.to_string(),
                "main" => continue,
                s if prefix.is_empty() => s.to_string(),
                s => format!("{prefix}::{s}"),
            };
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines() {
                let Some(name) = line.trim().strip_prefix("pub mod ") else {
                    continue;
                };
                let name = name.trim_end_matches(';').trim();
                let path = if here.is_empty() {
                    name.to_string()
                } else {
                    format!("{here}::{name}")
                };
                out.push(path.clone());
                let sub = match stem.as_str() {
                    "lib" | "mod" => file.parent().unwrap().join(name),
                    s => file.parent().unwrap().join(s).join(name),
                };
                if sub.is_dir() {
                    modules(&sub, &path, out);
                }
            }
        }
    }

    #[test]
    fn the_module_map_names_every_public_module() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
        let map: String = lib
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut all = Vec::new();
        modules(&src, "", &mut all);
        all.sort();
        all.dedup();
        assert!(all.len() > 20, "found only {all:?}");
        let missing: Vec<&String> = all
            .iter()
            .filter(|m| !map.contains(&format!("`{m}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "not in lib.rs's module map: {missing:?}"
        );
    }
}
