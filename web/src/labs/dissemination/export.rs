//! The lab's link and its exports: the permalink (and the address bar kept on it), Copy link,
//! the chart's data as CSV and the cluster as a PNG figure (the canvas with its round, its
//! parameters and its legend: [`draw::figure`](mod@draw::figure)). How the browser takes them is the
//! shell's ([`crate::shell::share`]); what they hold is the lab's.

use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::draw;
use super::params::{mode_title, Params};
use super::url;
use super::{DisseminationLab, Msg};
use crate::shell::share;

impl DisseminationLab {
    /// The link to this view at the round shown, as a full lab or as an embed, or why its
    /// actions cannot be put in one (see [`url::encode`]: the page refuses such actions before
    /// taking them, so this is a guard, never a link that silently lacks them).
    pub(super) fn permalink(&self, embed: bool) -> Result<String, String> {
        let mut p = self.run.params.clone();
        p.round = self.run.timeline.round();
        p.embed = embed;
        url::encode(&p)
            .map(|q| format!("{}{q}", share::base()))
            .map_err(|e| format!("this run's actions do not fit in a link ({e})"))
    }

    /// Updates the address bar now (or says why it cannot).
    pub(super) fn sync_url(&mut self) {
        match self.permalink(self.run.params.embed) {
            Ok(href) => {
                self.address.sync(&href);
                self.api.set_link(&href);
            }
            Err(e) => self
                .run
                .notices
                .push(format!("The address bar was not updated: {e}.")),
        }
    }

    /// Updates the address bar now, or, within [`share::URL_SYNC_INTERVAL_MS`] of the last
    /// update, in a later frame: stepping, going back and scrubbing keep it following the round.
    pub(super) fn sync_url_soon(&mut self) {
        if self.address.due() {
            self.sync_url();
        } else {
            self.address.owe();
        }
    }

    pub(super) fn copy_link(&mut self, ctx: &Context<Self>) -> bool {
        let link = match self.permalink(false) {
            Ok(link) => link,
            Err(e) => {
                self.run.notices.push(format!("Copy link: {e}."));
                return true;
            }
        };
        // The clipboard exists only in secure contexts (https, localhost) and may refuse (no
        // permission, no focus); the link is shown in a field either way, so neither is an
        // error.
        self.copied = None;
        if share::has_clipboard() {
            share::copy(&link, ctx.link().callback(Msg::Copied));
        } else {
            self.copied = Some(false);
        }
        self.link = Some(link);
        self.sync_url();
        true
    }

    pub(super) fn export_csv(&mut self) -> bool {
        let name = self.run.params.export_name(None, "csv");
        let link = self
            .permalink(false)
            .unwrap_or_else(|e| format!("(none: {e})"));
        share::download_text(&self.run.csv(&link), "text/csv", &name);
        false
    }

    pub(super) fn export_png(&mut self) -> bool {
        // The round was finished before this (the model is at a round boundary); draw it
        // finished too, without messages in flight, so the file is the round it names.
        self.anim = None;
        self.canvases.cluster.dirty = true;
        self.paint();
        let Some(c) = self.canvases.cluster.node.cast::<HtmlCanvasElement>() else {
            return true;
        };
        let title = format!("Gossip Lab · {}", self.run.status());
        let p = &self.run.params;
        if let Some(href) = draw::figure::figure(&c, &title, &figure_params(p), p.mode.is_rumor()) {
            let name = p.export_name(Some(self.run.timeline.round()), "png");
            share::download(&href, &name);
        }
        true
    }
}

/// The exported figure's line of parameters: what a reader needs to run it again.
fn figure_params(p: &Params) -> String {
    let mut out = format!(
        "{} · {} nodes · fanout {} · loss {} % · seed {} · scenario {}",
        mode_title(p.mode),
        p.nodes,
        p.fanout,
        p.loss_percent,
        p.seed,
        p.scenario.key()
    );
    if p.mode.is_rumor() {
        out.push_str(&format!(" · stop {} · k {}", p.stop.key(), p.rumor_k));
    }
    out
}
