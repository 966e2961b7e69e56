//! The borrowed view of a finished site (stages 1–5) that every page kind
//! reads: navigation, search, the graph and emit all take a [`SiteView`].

use crate::config::Config;
use crate::index::Index;
use crate::parse::Note;
use crate::render::RenderedNote;

/// The inputs of emit, borrowed from the pipeline.
pub struct SiteView<'a> {
    /// Configuration.
    pub config: &'a Config,
    /// Parsed notes.
    pub notes: &'a [Note],
    /// Rendered notes, `None` for unpublished ones and for those `build`
    /// renders only when it writes their page (see [`crate::RenderMode`]).
    pub rendered: &'a [Option<RenderedNote>],
    /// The index.
    pub index: &'a Index,
    /// Attachments, parallel to `index.files`.
    pub files: &'a [crate::scan::Attachment],
    /// How to render a published note missing from `rendered`: its HTML is
    /// made for its page and dropped once the page is written.
    pub render: crate::render::RenderContext<'a>,
    /// Where the content folder is in its git repository (`docs/`, or empty
    /// at its root), when git said so.
    pub repo_prefix: Option<&'a str>,
}

impl SiteView<'_> {
    /// Note `id` rendered: kept from the render stage, else rendered now
    /// (`None` for unpublished notes).
    pub fn rendered_note(&self, id: usize) -> Option<std::borrow::Cow<'_, RenderedNote>> {
        match &self.rendered[id] {
            Some(r) => Some(std::borrow::Cow::Borrowed(r)),
            None if self.index.notes[id].published => Some(std::borrow::Cow::Owned(
                crate::render::render_note(&self.render, id).0,
            )),
            None => None,
        }
    }
}
