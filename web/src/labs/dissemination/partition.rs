//! Selecting nodes and cutting them off: the pointer on the cluster canvas (a click inspects, a
//! shift-click or the select mode toggles a node in the group, a drag draws a lasso), the
//! partition bar, and the Cut, Heal and Clear actions. The geometry is `crate::select`'s.
//! [`Selection`] owns what is selected and answers the pointer and the partition bar's
//! buttons; the session (`Session::pointer`, `Session::partition`) records what it
//! returns (an action, a line to announce).

use gossip_core::net::Direction;
use gossip_core::sim::Action;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, PointerEvent};
use yew::prelude::*;

use super::inspector::{inspect, Inspector, InspectorCmd, WriteForm};
use super::model::Engine;
use super::paint::{CANVAS_HEIGHT_PX, CANVAS_WIDTH_PX};
use super::session::Session;
use crate::layout::{Layout, Point};
use crate::select;

/// What is selected on the canvas.
#[derive(Default)]
pub struct Selection {
    /// The inspected node.
    pub selected: Option<u32>,
    /// Nodes selected for a partition, sorted.
    pub group: Vec<u32>,
    /// The lasso being drawn (empty when none).
    pub lasso: Vec<Point>,
    /// Whether a pointer is down.
    pointer_down: bool,
    /// The select mode (for touch screens).
    pub select_mode: bool,
    /// A click opened the inspector: bring it into view after the next render if it is below
    /// the fold (on a laptop it opens under the canvas, out of sight).
    pub reveal_inspector: bool,
}

impl Selection {
    /// Forgets the inspected node and the group.
    pub fn forget(&mut self) {
        self.selected = None;
        self.group.clear();
    }

    /// A pointer pressed at `p` (a mouse, or not).
    pub fn press(&mut self, p: Point, mouse: bool) {
        self.pointer_down = true;
        self.lasso.clear();
        // Touch and pen keep their drag for scrolling the page: only a mouse lassos, unless the
        // select mode is on.
        if mouse || self.select_mode {
            self.lasso.push(p);
        }
    }

    /// The pressed pointer moved to `p`; returns whether a lasso is being drawn (to show).
    pub fn drag(&mut self, p: Point) -> bool {
        if !self.pointer_down || self.lasso.is_empty() {
            return false;
        }
        select::extend(&mut self.lasso, p);
        select::is_lasso(&self.lasso)
    }

    /// The pointer released at `p`: the end of a lasso (its nodes join the group) or a click
    /// (with Shift or in the select mode it toggles the node in the group, else it inspects
    /// the node, or nothing). Returns what to announce, if anything.
    pub fn release(&mut self, layout: &Layout, p: Point, shift: bool) -> Option<String> {
        let was_down = std::mem::take(&mut self.pointer_down);
        let path = std::mem::take(&mut self.lasso);
        if was_down && select::is_lasso(&path) {
            let inside = select::lasso(layout, &path);
            select::union(&mut self.group, &inside);
            return Some(format!(
                "{} nodes selected for a partition.",
                self.group.len()
            ));
        }
        match (layout.hit(p), shift || self.select_mode) {
            (Some(i), true) => select::toggle(&mut self.group, i),
            (hit, _) => {
                self.reveal_inspector = hit.is_some();
                self.selected = hit;
            }
        }
        None
    }
}

impl Selection {
    /// What cutting the group off in `direction` from the rest of `nodes` records, and what
    /// it says; or why it cannot (no group, or every node).
    pub fn cut(&self, nodes: u32, direction: Direction) -> Result<(Action, String), String> {
        let Some(groups) = select::partition(nodes, &self.group) else {
            return Err("Select some nodes first (shift-click them, or drag a lasso around them), but not all.".to_string());
        };
        let how = match direction {
            Direction::Both => "both ways",
            Direction::OneWay => "one way (the rest cannot reach them)",
        };
        Ok((
            Action::Partition { groups, direction },
            format!("Cut {} nodes off, {how}", self.group.len()),
        ))
    }

    /// Turns the select mode on or off; returns what to announce.
    pub fn toggle_select_mode(&mut self) -> String {
        self.select_mode = !self.select_mode;
        if self.select_mode {
            "Select mode on: tap nodes to add or remove them, or drag around them.".into()
        } else {
            "Select mode off.".into()
        }
    }

    /// The actions on nodes, together: selecting a group, cutting and healing (the
    /// [`PartitionBar`]), and the inspected node of `e` with the write `form` (crash, restart,
    /// write; `repair` the run's link and nodes for the inspector's Anti-entropy link). Beside the canvas on a wide screen, so a clicked node's inspector opens in view;
    /// right under the sticky canvas on a phone.
    pub fn nodes_group(
        &self,
        e: &Engine,
        form: &WriteForm,
        on_bar: Callback<PartitionCmd>,
        on_inspector: Callback<InspectorCmd>,
        repair: Option<(String, u32)>,
    ) -> Html {
        html! {
            <section class="group nodes" aria-labelledby="nodes-title">
                <h2 id="nodes-title" class="group-title">{ "Nodes" }</h2>
                <PartitionBar group={self.group.len()} select_mode={self.select_mode}
                    partitioned={e.cluster().network().is_partitioned()} on={on_bar} />
                <div class="host inspect">{ for self.selected.map(|i| html! {
                    <Inspector key={i} report={inspect(e, i)} write_key={form.key.clone()} write_value={form.value.clone()}
                        on={on_inspector.clone()} repair={repair.clone()} />
                }) }</div>
            </section>
        }
    }
}

/// What the pointer does on the cluster canvas, in the canvas's logical pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pointer {
    /// Pressed; whether it is a mouse (which may draw a lasso) and whether Shift is held.
    Down(f64, f64, bool, bool),
    /// Moved.
    Move(f64, f64),
    /// Released; whether Shift is held.
    Up(f64, f64, bool),
}

/// The cluster canvas behind `node`, with its pointer handlers sending to `on`; `selecting`
/// is the select mode (any drag draws a lasso), `label` its text for assistive technology.
pub fn cluster_canvas(
    node: &NodeRef,
    selecting: bool,
    label: String,
    on: &Callback<Pointer>,
) -> Html {
    // Pointer position in the canvas's logical pixels (CSS scales the canvas to the page
    // width, and its backing store is denser on a high-density screen).
    let at = {
        let canvas = node.clone();
        move |ev: &PointerEvent| {
            let c = canvas.cast::<HtmlCanvasElement>()?;
            let rect = c.get_bounding_client_rect();
            if rect.width() <= 0.0 || rect.height() <= 0.0 {
                return None;
            }
            // Logical pixels, not the backing store's device pixels: the layout's units.
            let x = (f64::from(ev.client_x()) - rect.left()) * f64::from(CANVAS_WIDTH_PX)
                / rect.width();
            let y = (f64::from(ev.client_y()) - rect.top()) * f64::from(CANVAS_HEIGHT_PX)
                / rect.height();
            Some((x, y))
        }
    };
    let on_down = {
        let (at, on) = (at.clone(), on.clone());
        Callback::from(move |ev: PointerEvent| {
            let Some((x, y)) = at(&ev) else {
                return;
            };
            if ev.pointer_type() == "mouse" || selecting {
                // Keep receiving moves outside the canvas while drawing a lasso.
                if let Some(t) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    let _ = t.set_pointer_capture(ev.pointer_id());
                }
                ev.prevent_default();
            }
            on.emit(Pointer::Down(
                x,
                y,
                ev.pointer_type() == "mouse",
                ev.shift_key(),
            ));
        })
    };
    let on_move = {
        let (at, on) = (at.clone(), on.clone());
        Callback::from(move |ev: PointerEvent| {
            if let Some((x, y)) = at(&ev) {
                on.emit(Pointer::Move(x, y));
            }
        })
    };
    let on_up = {
        let on = on.clone();
        Callback::from(move |ev: PointerEvent| {
            if let Some((x, y)) = at(&ev) {
                on.emit(Pointer::Up(x, y, ev.shift_key()));
            }
        })
    };
    html! {
        <canvas ref={node.clone()} id="cluster" class={classes!(selecting.then_some("selecting"))}
            width={CANVAS_WIDTH_PX.to_string()} height={CANVAS_HEIGHT_PX.to_string()}
            onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up}
            aria-label={label} role="img" />
    }
}

impl Session {
    /// The pointer on the cluster canvas ([`Selection::press`], [`Selection::drag`],
    /// [`Selection::release`]).
    pub(super) fn pointer(&mut self, p: Pointer) -> bool {
        match p {
            Pointer::Down(x, y, mouse, _shift) => {
                self.selection.press(Point { x, y }, mouse);
                false
            }
            Pointer::Move(x, y) => {
                if self.selection.drag(Point { x, y }) {
                    self.canvases.cluster.dirty = true;
                    // Never the first paint: the cluster was painted after the first render.
                    self.paint();
                }
                false
            }
            Pointer::Up(x, y, shift) => {
                self.canvases.cluster.dirty = true;
                let layout = &self.run.layout;
                if let Some(said) = self.selection.release(layout, Point { x, y }, shift) {
                    self.announce = said;
                }
                true
            }
        }
    }

    /// What the partition bar (or its shortcuts) asks for.
    pub(super) fn partition(&mut self, cmd: PartitionCmd) -> bool {
        match cmd {
            PartitionCmd::ToggleSelectMode => self.announce = self.selection.toggle_select_mode(),
            PartitionCmd::Cut(d) => match self.selection.cut(self.run.params.run.nodes, d) {
                Ok((action, what)) => {
                    if self.act(action, what) {
                        self.selection.group.clear();
                    }
                }
                Err(why) => self.run.notices.push(why),
            },
            PartitionCmd::Clear => {
                self.selection.group.clear();
                self.canvases.cluster.dirty = true;
            }
            PartitionCmd::Heal => {
                self.act(Action::Heal, "Healed the partition".to_string());
            }
        }
        true
    }

    /// The cluster canvas of the lab ([`cluster_canvas`]), sending the pointer to `on`.
    pub(super) fn cluster_canvas(&self, on: &Callback<Pointer>) -> Html {
        let label = format!("The cluster: {} nodes, {} informed. Click a node to inspect it; shift-click or drag a lasso to select nodes for a partition.", self.run.params.run.nodes, self.engine().informed_count());
        cluster_canvas(
            &self.canvases.cluster.node,
            self.selection.select_mode,
            label,
            on,
        )
    }
}

/// What the partition bar asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PartitionCmd {
    /// Select mode on or off.
    ToggleSelectMode,
    /// Cut the group off.
    Cut(Direction),
    /// Forget the group.
    Clear,
    /// Remove the partition.
    Heal,
}

/// What [`PartitionBar`] shows.
#[derive(Properties, PartialEq)]
pub struct PartitionBarProps {
    /// Nodes in the group.
    pub group: usize,
    /// Whether the select mode is on.
    pub select_mode: bool,
    /// Whether the network is cut.
    pub partitioned: bool,
    /// The buttons.
    pub on: Callback<PartitionCmd>,
}

/// The partition bar: the group's size and the select, cut, clear and heal buttons.
#[function_component(PartitionBar)]
pub fn partition_bar(p: &PartitionBarProps) -> Html {
    let send = |c: PartitionCmd| p.on.reform(move |_: MouseEvent| c);
    let none = p.group == 0;
    html! {
        <div id="partition" class="controls wrap">
            <span class="hint">{ if none { "Partition: shift-click nodes or drag a lasso (or use Select nodes) to select a group." .to_string() } else { format!("{} selected:", p.group) } }</span>
            <button class="small" id="select-mode" aria-pressed={p.select_mode.to_string()} onclick={send(PartitionCmd::ToggleSelectMode)}
                title="While on, tapping a node adds or removes it, and dragging draws a lasso (for touch screens)">{ if p.select_mode { "Selecting: done" } else { "Select nodes" } }</button>
            <button class="small" id="cut-both" disabled={none} onclick={send(PartitionCmd::Cut(Direction::Both))} title="No messages between the group and the rest">{ "Cut off both ways" }</button>
            <button class="small" id="cut-oneway" disabled={none} onclick={send(PartitionCmd::Cut(Direction::OneWay))} title="The rest cannot send to the group; the group can still send out">{ "Cut one way" }</button>
            <button class="small" id="clear-group" disabled={none} onclick={send(PartitionCmd::Clear)}>{ "Clear" }</button>
            <button class="small" id="heal" disabled={!p.partitioned} onclick={send(PartitionCmd::Heal)}>{ "Heal" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::new(
            16,
            f64::from(CANVAS_WIDTH_PX),
            f64::from(CANVAS_HEIGHT_PX),
            24.0,
        )
    }

    #[test]
    fn a_click_inspects_a_node_and_a_shift_click_toggles_it_in_the_group() {
        let l = layout();
        let at = l.points[3];
        let mut s = Selection::default();
        s.press(at, true);
        assert_eq!(s.release(&l, at, false), None);
        assert_eq!((s.selected, s.reveal_inspector), (Some(3), true));
        s.press(at, true);
        s.release(&l, at, true);
        assert_eq!(s.group, [3]);
        s.press(at, true);
        s.release(&l, at, true);
        assert!(s.group.is_empty());
    }

    #[test]
    fn a_lasso_adds_the_nodes_inside_and_touch_drags_draw_none_outside_the_select_mode() {
        let l = layout();
        let c = Point { x: 320.0, y: 240.0 };
        let around = [
            (-400.0, -300.0),
            (400.0, -300.0),
            (400.0, 300.0),
            (-400.0, 300.0),
        ];
        let mut s = Selection::default();
        s.press(
            Point {
                x: c.x - 400.0,
                y: c.y - 300.0,
            },
            false,
        );
        assert!(
            !s.drag(Point {
                x: c.x + 400.0,
                y: c.y
            }),
            "a touch scrolls the page"
        );
        s.select_mode = true;
        s.press(
            Point {
                x: c.x - 400.0,
                y: c.y - 300.0,
            },
            false,
        );
        let mut drawn = false;
        for (dx, dy) in around {
            drawn |= s.drag(Point {
                x: c.x + dx,
                y: c.y + dy,
            });
        }
        assert!(drawn);
        let said = s.release(
            &l,
            Point {
                x: c.x - 400.0,
                y: c.y + 300.0,
            },
            false,
        );
        assert_eq!(s.group.len(), 16);
        assert_eq!(said.as_deref(), Some("16 nodes selected for a partition."));
    }
}
