//! "Get embed code": the two snippets that put the current run in a post, each with its copy
//! button. The lab gives the embed link (its permalink with `embed=1`); this module writes
//! the snippets around it (README "Embedding" explains both):
//! * the iframe, sandboxed (`allow-scripts`, and `allow-popups` so "Open in Gossip Lab" can open
//!   the full lab), sized for a 640 px column; a host may resize it from the height messages;
//! * the `<gossip-lab>` element with the one script tag that defines it (`embed.js`, beside
//!   the app), which starts near the viewport, plays in view and sizes itself.

use yew::prelude::*;

use super::share;

/// The iframe snippet's height, in CSS pixels: a 640 px wide figure (its 4:3 canvas, the
/// buttons and the status line) fits.
pub const IFRAME_HEIGHT_PX: u32 = 600;

/// The address of `embed.js` for the app at `link` (the script sits beside `index.html`).
pub fn script_src(link: &str) -> String {
    let page = link.split(['?', '#']).next().unwrap_or("");
    let dir = page.rfind('/').map_or("", |i| &page[..=i]);
    format!("{dir}embed.js")
}

/// `s` for an HTML attribute value in double quotes.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The iframe snippet for the embed at `link`.
pub fn iframe_snippet(link: &str) -> String {
    format!(
        "<iframe src=\"{}\" sandbox=\"allow-scripts allow-popups\" title=\"Gossip Lab figure\" loading=\"lazy\" style=\"width: 100%; max-width: 660px; height: {IFRAME_HEIGHT_PX}px; border: 0\"></iframe>",
        attr(link)
    )
}

/// The custom element snippet for the embed at `link`: the script tag, then the element.
pub fn element_snippet(link: &str) -> String {
    format!(
        "<script src=\"{}\" defer></script>\n<gossip-lab src=\"{}\"></gossip-lab>",
        attr(&script_src(link)),
        attr(link)
    )
}

/// What [`EmbedCode`] shows.
#[derive(Properties, PartialEq)]
pub struct EmbedCodeProps {
    /// The embed link of the run (absolute, with `embed=1`).
    pub link: AttrValue,
}

/// The two snippets, each in a read-only field with a copy button and a line that says
/// whether the clipboard took it.
#[function_component(EmbedCode)]
pub fn embed_code(props: &EmbedCodeProps) -> Html {
    // Which snippet was copied last, and whether the clipboard took it.
    let copied = use_state(|| None::<(&'static str, bool)>);
    let snippets = [
        (
            "iframe",
            "An iframe (works anywhere HTML is allowed)",
            iframe_snippet(&props.link),
        ),
        (
            "element",
            "The <gossip-lab> element (starts when scrolled to, sizes itself)",
            element_snippet(&props.link),
        ),
    ];
    let rows = snippets.into_iter().map(|(id, label, text)| {
        let state = copied.clone();
        let copy_text = text.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            if share::has_clipboard() {
                share::copy(&copy_text, Callback::from(move |ok| state.set(Some((id, ok)))));
            } else {
                state.set(Some((id, false)));
            }
        });
        let note = match *copied {
            Some((which, true)) if which == id => "Copied to the clipboard.",
            Some((which, false)) if which == id => "This browser did not let the page copy: select the code and copy it.",
            _ => "",
        };
        let rows = if id == "iframe" { "3" } else { "2" };
        html! {
            <div class="snippet">
                <label for={format!("embed-{id}")}>{ label }</label>
                <textarea id={format!("embed-{id}")} class="link" readonly=true rows={rows} value={text} />
                <div class="controls">
                    <button id={format!("copy-embed-{id}")} class="small" {onclick}>{ "Copy" }</button>
                    <p id={format!("copied-embed-{id}")} class="hint" role="status">{ note }</p>
                </div>
            </div>
        }
    });
    html! {
        <div id="embed-code" class="embed-code">{ for rows }</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_sits_beside_the_page_whatever_the_link_holds() {
        for (link, want) in [
            (
                "https://a.org/lab/?n=5&embed=1",
                "https://a.org/lab/embed.js",
            ),
            (
                "https://a.org/lab/index.html?n=5#x",
                "https://a.org/lab/embed.js",
            ),
            (
                "http://127.0.0.1:8080/?a=3c5/6",
                "http://127.0.0.1:8080/embed.js",
            ),
        ] {
            assert_eq!(script_src(link), want, "{link}");
        }
    }

    #[test]
    fn snippets_escape_the_link_so_the_markup_reads_back_to_it() {
        let link = "https://a.org/?n=5&key=\"x\"&embed=1";
        let iframe = iframe_snippet(link);
        assert!(
            iframe.contains("src=\"https://a.org/?n=5&amp;key=&quot;x&quot;&amp;embed=1\""),
            "{iframe}"
        );
        assert!(iframe.contains("sandbox=\"allow-scripts allow-popups\""));
        let element = element_snippet(link);
        assert!(element.starts_with("<script src=\"https://a.org/embed.js\" defer></script>\n"));
        assert!(element.ends_with("<gossip-lab src=\"https://a.org/?n=5&amp;key=&quot;x&quot;&amp;embed=1\"></gossip-lab>"));
    }
}
