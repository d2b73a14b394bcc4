//! Choosing a group of nodes to cut off: shift-click toggles one node, a drag draws a lasso
//! that selects every node inside it. Pure geometry on the layout's points, so it is tested
//! without a browser.

use crate::layout::{Layout, Point};

/// The fewest points a drag needs before it counts as a lasso rather than a click.
pub const LASSO_POINTS_MIN: usize = 3;
/// A drag shorter than this (in canvas pixels, end to end and along the way) is a click.
pub const LASSO_LENGTH_MIN_PX: f64 = 12.0;
/// The most points kept of one lasso; a longer drag is thinned, which keeps hit-testing
/// 10,000 nodes against it cheap.
pub const LASSO_POINTS_MAX: usize = 512;

/// Whether `p` is inside the closed polygon `poly` (even-odd rule: a ray to the right crosses
/// the boundary an odd number of times).
pub fn inside(poly: &[Point], p: Point) -> bool {
    let mut odd = false;
    let mut j = poly.len().wrapping_sub(1);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// The length of a drag's path.
pub fn path_length(path: &[Point]) -> f64 {
    path.windows(2)
        .map(|w| ((w[1].x - w[0].x).powi(2) + (w[1].y - w[0].y).powi(2)).sqrt())
        .sum()
}

/// Whether a drag along `path` is a lasso (long enough to enclose something), not a click.
pub fn is_lasso(path: &[Point]) -> bool {
    path.len() >= LASSO_POINTS_MIN && path_length(path) >= LASSO_LENGTH_MIN_PX
}

/// The nodes of `layout` inside the lasso `path` (closed from its last point to its first), in
/// id order.
pub fn lasso(layout: &Layout, path: &[Point]) -> Vec<u32> {
    if path.len() < LASSO_POINTS_MIN {
        return Vec::new();
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in path {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    layout
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1 && inside(path, **p))
        .map(|(i, _)| i as u32)
        .collect()
}

/// Adds `p` to a lasso being drawn, dropping every other point when it is full.
pub fn extend(path: &mut Vec<Point>, p: Point) {
    if path.len() >= LASSO_POINTS_MAX {
        let mut i = 0;
        path.retain(|_| {
            i += 1;
            i % 2 == 1
        });
    }
    path.push(p);
}

/// Shift-click: adds `node` to the sorted `group`, or removes it if it is there.
pub fn toggle(group: &mut Vec<u32>, node: u32) {
    match group.binary_search(&node) {
        Ok(i) => {
            group.remove(i);
        }
        Err(i) => group.insert(i, node),
    }
}

/// Adds `nodes` to the sorted `group` (a second lasso extends the first).
pub fn union(group: &mut Vec<u32>, nodes: &[u32]) {
    group.extend_from_slice(nodes);
    group.sort_unstable();
    group.dedup();
}

/// The partition that cuts `group` off from every other node: `[rest, group]`, or `None`
/// when either side would be empty. With a one-way cut, the first group cannot reach the
/// second (see `gossip_core::net::Direction::OneWay`), so the rest cannot reach the group.
pub fn partition(nodes: u32, group: &[u32]) -> Option<Vec<Vec<u32>>> {
    let mut inside = vec![false; nodes as usize];
    for &g in group {
        *inside.get_mut(g as usize)? = true;
    }
    let rest: Vec<u32> = (0..nodes).filter(|&i| !inside[i as usize]).collect();
    let group: Vec<u32> = (0..nodes).filter(|&i| inside[i as usize]).collect();
    (!rest.is_empty() && !group.is_empty()).then(|| vec![rest, group])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn square() -> Vec<Point> {
        vec![pt(0.0, 0.0), pt(10.0, 0.0), pt(10.0, 10.0), pt(0.0, 10.0)]
    }

    #[test]
    fn points_inside_a_square_are_in_and_outside_are_out() {
        assert!(inside(&square(), pt(5.0, 5.0)));
        assert!(!inside(&square(), pt(15.0, 5.0)));
        assert!(!inside(&square(), pt(5.0, -1.0)));
        assert!(!inside(&[], pt(0.0, 0.0)));
    }

    #[test]
    fn a_concave_lasso_leaves_out_its_notch() {
        // A U shape: the notch between the arms is outside.
        let u = vec![
            pt(0.0, 0.0),
            pt(3.0, 0.0),
            pt(3.0, 7.0),
            pt(7.0, 7.0),
            pt(7.0, 0.0),
            pt(10.0, 0.0),
            pt(10.0, 10.0),
            pt(0.0, 10.0),
        ];
        assert!(inside(&u, pt(1.0, 1.0)));
        assert!(!inside(&u, pt(5.0, 3.0)));
        assert!(inside(&u, pt(5.0, 9.0)));
    }

    #[test]
    fn a_lasso_around_the_right_half_of_a_ring_selects_exactly_those_nodes() {
        let l = Layout::new(16, 640.0, 480.0, 24.0);
        // The ring is centred at (320, 240) with node 0 at the top, ids clockwise: nodes 1 to 7
        // are right of the centre line; 0 and 8 are on it.
        let path = vec![
            pt(330.0, 0.0),
            pt(640.0, 0.0),
            pt(640.0, 480.0),
            pt(330.0, 480.0),
        ];
        assert_eq!(lasso(&l, &path), (1..8).collect::<Vec<u32>>());
        assert!(is_lasso(&path));
        assert!(!is_lasso(&path[..2]));
        assert!(!is_lasso(&[pt(1.0, 1.0), pt(2.0, 2.0), pt(3.0, 1.0)]));
    }

    #[test]
    fn shift_click_toggles_and_a_second_lasso_adds() {
        let mut g = Vec::new();
        toggle(&mut g, 5);
        toggle(&mut g, 2);
        assert_eq!(g, [2, 5]);
        toggle(&mut g, 5);
        assert_eq!(g, [2]);
        union(&mut g, &[7, 2, 3]);
        assert_eq!(g, [2, 3, 7]);
    }

    #[test]
    fn a_partition_puts_the_group_second_and_refuses_an_empty_side() {
        assert_eq!(partition(5, &[1, 3]), Some(vec![vec![0, 2, 4], vec![1, 3]]));
        assert_eq!(partition(3, &[]), None);
        assert_eq!(partition(3, &[0, 1, 2]), None);
        assert_eq!(partition(3, &[7]), None);
    }

    #[test]
    fn a_long_drag_is_thinned_not_unbounded() {
        let mut path = Vec::new();
        for i in 0..5000 {
            extend(&mut path, pt(f64::from(i), 0.0));
        }
        assert!(path.len() <= LASSO_POINTS_MAX);
    }
}
