//! Typed ids: which list a number points into.
//!
//! Notes and attachments are numbered by their place in the lists the scan
//! sorts by path; the graph numbers its nodes apart (published notes only).
//! A [`NoteId`] and a [`FileId`] cannot be swapped for one another, nor for
//! a graph node, by mistake.

use std::fmt;

/// A note: its place in the notes sorted by path, the same in
/// `Site::notes`, `Index::notes` and `Site::rendered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NoteId(pub usize);

/// An attachment: its place in `Index::files` and `Site::attachments`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub usize);

impl fmt::Display for NoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "note {}", self.0)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file {}", self.0)
    }
}

/// `impl Index<$id> for [$t]` and `Vec<$t>` (and `IndexMut`) for each type: a list
/// numbered by `$id` is read with it.
#[macro_export]
macro_rules! indexed_by {
    ($id:ty => $($t:ty),+) => {
        $(
            impl std::ops::Index<$id> for [$t] {
                type Output = $t;
                fn index(&self, id: $id) -> &$t {
                    &self[id.0]
                }
            }
            impl std::ops::IndexMut<$id> for [$t] {
                fn index_mut(&mut self, id: $id) -> &mut $t {
                    &mut self[id.0]
                }
            }
            impl std::ops::Index<$id> for Vec<$t> {
                type Output = $t;
                fn index(&self, id: $id) -> &$t {
                    &self[id.0]
                }
            }
            impl std::ops::IndexMut<$id> for Vec<$t> {
                fn index_mut(&mut self, id: $id) -> &mut $t {
                    &mut self[id.0]
                }
            }
        )+
    };
}
