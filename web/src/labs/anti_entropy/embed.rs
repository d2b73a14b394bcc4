//! The lab as a figure in a post (`embed=1`): the trees, the chart or both (`view=`, the
//! dissemination lab's values), the transport with a link to the full lab, and the status
//! line; and "Get embed code" on the full page. The conversation with the page around the
//! frame is the shell's ([`crate::shell::embed`]): a turn of the repair stands where a round
//! of the other labs does (`gossiplab:round` with its turn and no record), and the parent's
//! commands play, pause, step and seek the turns. Everything comes from the link; nothing is
//! stored.

use yew::prelude::*;

use super::url::{self, Params};
use super::{view, AntiEntropyLab, Msg};
use crate::shell::embed::Command;
use crate::shell::embed_code::EmbedCode;
use crate::shell::notices::NoticeList;
use crate::shell::share;

/// The link of `params` as the full lab (`embed` false) or as an embed, absolute.
pub fn permalink(params: &Params, embed: bool) -> String {
    let p = Params {
        embed,
        ..params.clone()
    };
    format!("{}{}", share::base(), url::encode(&p))
}

/// What a parent's command asks of the lab, as the lab's own message (`None`: nothing to do).
/// Seeking past the last turn shows the last (the page clamps every turn to the repair's).
pub fn message(c: Command, playing: bool) -> Option<Msg> {
    match c {
        Command::Play => (!playing).then_some(Msg::TogglePlay),
        Command::Pause => playing.then_some(Msg::TogglePlay),
        Command::Step => Some(Msg::Step),
        Command::Seek(turn) => Some(Msg::Seek(turn)),
    }
}

impl AntiEntropyLab {
    /// The embed's markup: the pictures the link asks for, Play and Step with "Open in Gossip
    /// Lab", and the status.
    pub(super) fn embed_view(&self, ctx: &Context<Self>, trees: Html, chart: Html) -> Html {
        let link = ctx.link();
        let view = self.params.view;
        let (k, last) = (self.params.turn, self.last_turn());
        let status = match &self.pair {
            Ok(p) => view::status(p, k),
            Err(e) => {
                html! { <p id="status" class="status">{ format!("This pair cannot be repaired: {e}") }</p> }
            }
        };
        // Play at the end replays from the start, as the dissemination embed's does.
        let again = !self.playing && k >= last && last > 0;
        let play = match (self.playing, again) {
            (true, _) => "Pause",
            (false, true) => "Replay",
            (false, false) => "Play",
        };
        html! { <>
            <NoticeList notices={self.notices.clone()} restart_note={None::<String>} on_dismiss={link.callback(|_| Msg::DismissNotices)} />
            <div class={classes!("embed-figure", view.key())}>
                { for view.cluster().then_some(trees) }
                { for view.chart().then_some(chart) }
            </div>
            <div class="controls buttons" role="group" aria-label="Transport">
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)} disabled={!self.playing && k >= last && !again}
                    aria-keyshortcuts="Space">{ play }</button>
                <button id="step" onclick={link.callback(|_| Msg::Step)} disabled={k >= last}
                    aria-keyshortcuts="ArrowRight">{ "Step" }</button>
                <a id="full-link" href={permalink(&self.params, false)} target="_blank" rel="noopener">{ "Open in Gossip Lab" }</a>
            </div>
            { status }
        </> }
    }

    /// "Get embed code" and, once pressed, the two snippets for the repair as it is shown.
    pub(super) fn embed_code(&self, ctx: &Context<Self>) -> Html {
        let shown = self.embed_code_shown;
        html! {
            <section class="share embed-code" aria-label="Embed this figure">
                <button id="get-embed" onclick={ctx.link().callback(|_| Msg::EmbedCode)}
                    aria-expanded={shown.to_string()} aria-controls="embed-code">{ "Get embed code" }</button>
                <div class="host">{ for shown.then(|| html! {
                    <EmbedCode link={AttrValue::from(permalink(&self.params, true))} />
                }) }</div>
            </section>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parents_commands_become_the_transports_messages() {
        assert!(matches!(
            message(Command::Play, false),
            Some(Msg::TogglePlay)
        ));
        assert!(message(Command::Play, true).is_none());
        assert!(matches!(
            message(Command::Pause, true),
            Some(Msg::TogglePlay)
        ));
        assert!(message(Command::Pause, false).is_none());
        assert!(matches!(message(Command::Step, false), Some(Msg::Step)));
        assert!(matches!(
            message(Command::Seek(4), true),
            Some(Msg::Seek(4))
        ));
    }
}
