//! The lab's link and its exports: the permalink (and the address bar kept on it), Copy link,
//! the chart's data as CSV and the cluster as a PNG figure (the canvas with its round, its
//! parameters and its legend: [`draw::figure`](mod@draw::figure)). How the browser takes them is the
//! shell's ([`crate::shell::share`]); what they hold is the lab's. [`Share`] owns the
//! address bar, the copied link and the embed code's link (the snippets are the shell's,
//! [`crate::shell::embed_code`]); the exports are functions of the run; the share group's
//! commands are `Session::share_cmd`.

use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::draw;
use super::params::{mode_title, Params};
use super::run::Run;
use super::session::Session;
use super::url;
use crate::shell::embed_code::EmbedCode;
use crate::shell::script_api::ScriptApi;
use crate::shell::share::{self, AddressBar};

/// The link to the view of `run` at the round shown, as a full lab or as an embed, or why its
/// actions cannot be put in one (see [`url::encode`]: the page refuses such actions before
/// taking them, so this is a guard, never a link that silently lacks them).
pub fn permalink(run: &Run, embed: bool) -> Result<String, String> {
    let mut p = run.params.clone();
    p.round = run.timeline.round();
    p.embed = embed;
    url::encode(&p)
        .map(|q| format!("{}{q}", share::base()))
        .map_err(|e| format!("this run's actions do not fit in a link ({e})"))
}

/// What the share group's buttons ask for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShareCmd {
    /// Copy the permalink.
    CopyLink,
    /// Download the cluster as a PNG figure.
    Png,
    /// Download the chart's data as CSV.
    Csv,
    /// Show the embed code for the run as it is now.
    EmbedCode,
}

/// The lab's link on the page: the address bar kept on the run, and the last Copy link. The
/// lab calls [`Share::sync_url`] when the run or the round changed, and the frame loop pays
/// an owed update ([`Share::is_pending`]) when it is due.
#[derive(Default)]
pub struct Share {
    address: AddressBar,
    /// The link last copied (shown in a field), once Copy link was used.
    link: Option<String>,
    /// What became of the last Copy link: `None` while the clipboard has not answered.
    copied: Option<bool>,
    /// The embed link the embed code was last made for, once "Get embed code" was used.
    embed: Option<String>,
}

impl Share {
    /// Whether an address-bar update is owed.
    pub fn is_pending(&self) -> bool {
        self.address.is_pending()
    }

    /// Whether the address bar may be updated now.
    pub fn due(&self) -> bool {
        self.address.due()
    }

    /// Updates the address bar (and the script API's link) to `run` now, or says why it
    /// cannot in `run`'s notices.
    pub fn sync_url(&mut self, run: &mut Run, api: &mut ScriptApi) {
        match permalink(run, run.params.embed) {
            Ok(href) => {
                self.address.sync(&href);
                api.set_link(&href);
            }
            Err(e) => run
                .notices
                .push(format!("The address bar was not updated: {e}.")),
        }
    }

    /// Updates the address bar now, or, within [`share::URL_SYNC_INTERVAL_MS`] of the last
    /// update, in a later frame: stepping, going back and scrubbing keep it following the round.
    pub fn sync_url_soon(&mut self, run: &mut Run, api: &mut ScriptApi) {
        if self.address.due() {
            self.sync_url(run, api);
        } else {
            self.address.owe();
        }
    }

    /// Copy link: shows the link and puts it on the clipboard, which answers on `done`.
    pub fn copy_link(&mut self, run: &mut Run, api: &mut ScriptApi, done: Callback<bool>) {
        let link = match permalink(run, false) {
            Ok(link) => link,
            Err(e) => {
                run.notices.push(format!("Copy link: {e}."));
                return;
            }
        };
        // The clipboard exists only in secure contexts (https, localhost) and may refuse (no
        // permission, no focus); the link is shown in a field either way, so neither is an
        // error.
        self.copied = None;
        if share::has_clipboard() {
            share::copy(&link, done);
        } else {
            self.copied = Some(false);
        }
        self.link = Some(link);
        self.sync_url(run, api);
    }

    /// "Get embed code": the snippets for the run as it is now (pressed again, they follow
    /// the run again).
    pub fn embed_code(&mut self, run: &mut Run) {
        match permalink(run, true) {
            Ok(link) => self.embed = Some(link),
            Err(e) => run.notices.push(format!("Get embed code: {e}.")),
        }
    }

    /// The clipboard took the link (`true`) or refused it.
    pub fn copied(&mut self, ok: bool) {
        self.copied = Some(ok);
    }

    /// The share and export group: its buttons, and the copied link.
    pub fn view(&self, on: &Callback<ShareCmd>) -> Html {
        let send = |c: ShareCmd| on.reform(move |_: MouseEvent| c);
        html! {
            <section class="group share" aria-labelledby="share-title">
                <h2 id="share-title" class="group-title">{ "Share and export" }</h2>
                <div class="controls">
                    <button id="copy-link" class="primary-quiet" onclick={send(ShareCmd::CopyLink)}>{ "Copy link" }</button>
                    <button id="export-png" onclick={send(ShareCmd::Png)} title="The cluster with its round, parameters and legend">{ "Figure PNG" }</button>
                    <button id="export-csv" onclick={send(ShareCmd::Csv)}>{ "Chart CSV" }</button>
                    <button id="get-embed" onclick={send(ShareCmd::EmbedCode)} aria-expanded={self.embed.is_some().to_string()} aria-controls="embed-code">{ "Get embed code" }</button>
                </div>
                <div class="host">{ for self.link.iter().map(|l| html! {
                    <>
                    <input id="link" class="link" type="text" readonly=true value={l.clone()} aria-label="Link to this view" />
                    <p id="copied" class="hint" role="status">{ match self.copied {
                        Some(true) => "Copied to the clipboard: paste it anywhere to share exactly this view.",
                        Some(false) => "This browser did not let the page copy: select the link above and copy it.",
                        None => "",
                    } }</p>
                    </>
                }) }</div>
                <div class="host">{ for self.embed.iter().map(|l| html! {
                    <EmbedCode link={AttrValue::from(l.clone())} />
                }) }</div>
            </section>
        }
    }
}

/// Downloads the chart data of `run` as CSV.
pub fn export_csv(run: &Run) {
    let name = run.params.export_name(None, "csv");
    let link = permalink(run, false).unwrap_or_else(|e| format!("(none: {e})"));
    share::download_text(&run.csv(&link), "text/csv", &name);
}

/// Downloads the cluster `canvas` (painted at a round boundary) as the PNG figure of `run`.
pub fn export_png(canvas: &NodeRef, run: &Run) {
    let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
        return;
    };
    let title = format!("Gossip Lab · {}", run.status());
    let p = &run.params;
    let lacking = run.engine().lacking().is_some();
    let rows = draw::legend::figure_rows(p.run.mode.is_rumor(), lacking);
    if let Some(href) = draw::figure::figure(&c, &title, &figure_params(p), &rows) {
        let name = p.export_name(Some(run.timeline.round()), "png");
        share::download(&href, &name);
    }
}

impl Session {
    /// Updates the address bar now ([`Share::sync_url`]).
    pub(super) fn sync_url(&mut self) {
        self.share.sync_url(&mut self.run, &mut self.api);
    }

    /// Updates the address bar now or soon ([`Share::sync_url_soon`]).
    pub(super) fn sync_url_soon(&mut self) {
        self.share.sync_url_soon(&mut self.run, &mut self.api);
    }

    /// Copy link (the clipboard answers on `done`) and the exports.
    pub(super) fn share_cmd(&mut self, done: Callback<bool>, cmd: ShareCmd) -> bool {
        match cmd {
            ShareCmd::CopyLink => {
                self.share.copy_link(&mut self.run, &mut self.api, done);
                true
            }
            ShareCmd::Csv => {
                export_csv(&self.run);
                false
            }
            ShareCmd::Png => self.export_png(),
            ShareCmd::EmbedCode => {
                self.share.embed_code(&mut self.run);
                true
            }
        }
    }

    fn export_png(&mut self) -> bool {
        // The round was finished before this (the model is at a round boundary); draw it
        // finished too, without messages in flight, so the file is the round it names.
        self.player.anim = None;
        self.canvases.cluster.dirty = true;
        self.paint();
        export_png(&self.canvases.cluster.node, &self.run);
        true
    }
}

/// The exported figure's line of parameters: what a reader needs to run it again.
fn figure_params(p: &Params) -> String {
    let mut out = format!(
        "{} · {} nodes · fanout {} · loss {} % · seed {} · scenario {}",
        mode_title(p.run.mode),
        p.run.nodes,
        p.run.fanout,
        p.run.loss_percent,
        p.run.seed,
        p.run.scenario.key()
    );
    if p.run.mode.is_rumor() {
        out.push_str(&format!(
            " · stop {} · k {}",
            p.run.stop.key(),
            p.run.rumor_k
        ));
    }
    if let Some(s) = p.run.repair.strategy() {
        out.push_str(&format!(
            " · repair {} every {}",
            s.name(),
            p.run.repair_every
        ));
    }
    out
}
