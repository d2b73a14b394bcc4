//! A tree level as a row of at most [`CELLS_MAX`] cells: a level with more nodes shows each
//! cell as a run of `per_cell` consecutive nodes, and a cell counts the marked nodes in its
//! run, so a summarised row still says how many were marked, never more and never fewer.
//! Pure, host-tested.

/// The most cells a row draws.
pub const CELLS_MAX: u64 = 128;

/// One level as drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Nodes each cell stands for (the last cell may stand for fewer).
    pub per_cell: u64,
    /// Per cell, how many of its nodes are marked.
    pub marked: Vec<u32>,
}

impl Row {
    /// The row of a level of `nodes` nodes with `marked` (ascending, each below `nodes`).
    pub fn new(nodes: u64, marked: &[u64]) -> Row {
        let per_cell = nodes.div_ceil(CELLS_MAX).max(1);
        let cells = nodes.div_ceil(per_cell) as usize;
        let mut counts = vec![0u32; cells];
        for &i in marked.iter().filter(|&&i| i < nodes) {
            counts[(i / per_cell) as usize] += 1;
        }
        Row {
            per_cell,
            marked: counts,
        }
    }

    /// How many cells.
    pub fn cells(&self) -> usize {
        self.marked.len()
    }

    /// The cell that node `index` is drawn in.
    pub fn cell_of(&self, index: u64) -> usize {
        (index / self.per_cell) as usize
    }

    /// Marked nodes in the whole row.
    pub fn total(&self) -> u64 {
        self.marked.iter().map(|&c| u64::from(c)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_level_is_one_cell_per_node() {
        let r = Row::new(16, &[3, 9]);
        assert_eq!(r.per_cell, 1);
        assert_eq!(r.cells(), 16);
        assert_eq!((r.marked[3], r.marked[9], r.total()), (1, 1, 2));
    }

    #[test]
    fn a_wide_level_is_summarised_and_every_marked_node_is_still_counted() {
        let r = Row::new(65_536, &[0, 1, 511, 512, 65_535]);
        assert_eq!(r.per_cell, 512);
        assert!(r.cells() as u64 <= CELLS_MAX);
        assert_eq!(r.marked[0], 3);
        assert_eq!(r.marked[1], 1);
        assert_eq!(r.marked[127], 1);
        assert_eq!(r.total(), 5);
        assert_eq!(r.cell_of(65_535), 127);
        // A level that does not divide evenly: the last cell stands for the rest.
        let r = Row::new(1000, &[999]);
        assert_eq!(
            (r.per_cell, r.cells(), r.marked[r.cells() - 1]),
            (8, 125, 1)
        );
    }
}
