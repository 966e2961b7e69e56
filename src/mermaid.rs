//! Diagrams: the only module that knows the Mermaid renderer.
//!
//! ```` ```mermaid ```` blocks are drawn to inline SVG at build time by
//! merman, a pure-Rust port of Mermaid's parsers, layouts and SVG output: no
//! JavaScript and no CDN at view time, so diagrams work offline and in feeds.
//!
//! Why merman rather than mermaid-rs-renderer (both tried on flowchart,
//! sequence, class, state, pie and mindmap diagrams): merman follows
//! Mermaid's own output closely (same shapes, themes, and sequence `alt`
//! frames in the right place, where mermaid-rs-renderer misplaced them), takes
//! a per-diagram id so several diagrams share a page without clashing marker
//! ids and styles, does not depend on the fonts of the build machine, and
//! reports parse errors with their position. Labels are SVG text rather than
//! HTML in `foreignObject`, so a reader whose fonts are wider than Mermaid's
//! sees overflowing rather than clipped text.
//!
//! The renderer is built once per process. This module draws one diagram and
//! nothing else: the `code` render pass decides what to do with a failure.

use std::sync::OnceLock;

/// Why a diagram could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramError {
    /// What went wrong, in the renderer's words.
    pub message: String,
    /// Byte offset of the problem in the diagram source, when known.
    pub offset: Option<usize>,
}

fn new_renderer(theme: &str) -> merman::Renderer {
    let site = serde_json::json!({
        "theme": theme,
        "htmlLabels": false,
        "flowchart": { "htmlLabels": false },
    });
    let parser = merman::SemanticParser::new()
        .with_site_config(merman::model::config::MermaidConfig::from_value(site));
    merman::Renderer::new().with_semantic_parser(parser)
}

/// Mermaid's light (`default`) or `dark` theme.
fn renderer(dark: bool) -> &'static merman::Renderer {
    static LIGHT: OnceLock<merman::Renderer> = OnceLock::new();
    static DARK: OnceLock<merman::Renderer> = OnceLock::new();
    match dark {
        false => LIGHT.get_or_init(|| new_renderer("default")),
        true => DARK.get_or_init(|| new_renderer("dark")),
    }
}

/// The SVG of a Mermaid diagram in Mermaid's light theme, or its `dark`
/// one; `id` must be unique in the page (it scopes the diagram's styles and
/// marker ids).
pub fn to_svg(source: &str, id: &str, dark: bool) -> Result<String, DiagramError> {
    let fail = |message: String, offset: Option<usize>| DiagramError { message, offset };
    let mut request = merman::SvgRequest::default();
    request.options.diagram_id = Some(id.to_string());
    // An alpha renderer must not take the build down with it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        renderer(dark).render(merman::RenderRequest::svg(
            source,
            merman::OperationControl::new(),
            request,
        ))
    }))
    .map_err(|_| fail("the diagram renderer crashed on this diagram".into(), None))?;
    match result {
        Ok(merman::RenderOutput::Svg(Some(svg))) => Ok(svg.svg().trim_end().to_string()),
        Ok(_) | Err(merman::RenderError::NoDiagram) => Err(fail(
            "no Mermaid diagram type recognised (the first line should be `flowchart TD`, `sequenceDiagram`, `pie` …)".into(),
            None,
        )),
        Err(merman::RenderError::Parse(d)) => {
            let offset = d.terminal_diagnostic_details().span.map(|s| s.start);
            Err(fail(d.terminal_safe_message(), offset))
        }
        Err(e) => Err(fail(e.to_string(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_diagrams_draw() {
        let cases = [
            "flowchart TD\n  A[Début] --> B{Choix ?}\n  B -->|Oui| C[Fin]",
            "sequenceDiagram\n  Alice->>Bob: Bonjour\n  Bob-->>Alice: Salut",
            "classDiagram\n  Animal <|-- Chat\n  Animal : +nom",
            "stateDiagram-v2\n  [*] --> Actif\n  Actif --> [*]",
            "pie title Parts\n  \"A\" : 40\n  \"B\" : 60",
            "mindmap\n  root((ISO))\n    Normes\n    CASCO",
        ];
        for (i, src) in cases.iter().enumerate() {
            let svg = to_svg(src, &format!("d{i}"), i % 2 == 1)
                .unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert!(svg.starts_with("<svg"), "{svg}");
            assert!(svg.contains(&format!("id=\"d{i}\"")), "ids are scoped");
            assert!(
                !svg.contains("<foreignObject"),
                "labels are SVG text: {src}"
            );
        }
    }

    #[test]
    fn broken_diagrams_say_where() {
        let e = to_svg("flowchart TD\n  A[Unclosed --> B\n", "x", false).unwrap_err();
        assert!(e.message.contains("missing `]`"), "{e:?}");
        let e = to_svg("notADiagram\n  a", "x", false).unwrap_err();
        assert!(
            e.message.to_lowercase().contains("no mermaid diagram"),
            "{e:?}"
        );
    }
}
