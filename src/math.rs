//! Math: the only module that knows math-core.
//!
//! Converts the LaTeX of `$…$` and `$$…$$` to MathML Core at build time, so
//! formulas need no JavaScript and work offline and in feeds. The converter
//! is built once per process. This module renders one formula and nothing
//! else: the `math` render pass decides what to do with a failure.

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use std::sync::OnceLock;

fn converter() -> Option<&'static LatexToMathML> {
    static CONVERTER: OnceLock<Option<LatexToMathML>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| {
            // Commands MathJax renders in Obsidian that math-core has no
            // name for, written with ones it has.
            let macros = [
                ("substack", r"\begin{subarray}{c}#1\end{subarray}"),
                ("boxed", r"\begin{array}{|c|}\hline #1\end{array}"),
            ];
            let config = MathCoreConfig {
                macros: macros
                    .iter()
                    .map(|(n, d)| (n.to_string(), d.to_string()))
                    .collect(),
                ..MathCoreConfig::default()
            };
            LatexToMathML::new(config).ok()
        })
        .as_ref()
}

/// The MathML of a formula (`<math>…</math>`), or why it cannot be rendered.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let conv = converter().ok_or_else(|| "the math converter failed to start".to_string())?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    // MathJax takes `\tag` in any display formula; math-core only in a
    // numbered environment.
    let wrapped;
    let latex = if display && latex.contains(r"\tag") && !latex.contains(r"\begin") {
        wrapped = format!(r"\begin{{equation}}{latex}\end{{equation}}");
        wrapped.as_str()
    } else {
        latex
    };
    conv.convert_with_local_state(latex, mode)
        .map(|r| match latex.contains(r"\boxed") {
            true => closed_boxes(r.mathml),
            false => r.mathml,
        })
        .map_err(|e| {
            let message = e.error_message();
            if latex.contains(r"\ce{") || latex.contains(r"\pu{") {
                format!("{} (chemical formulas with mhchem's \\ce and \\pu are not supported: write them with \\mathrm, e.g. \\mathrm{{H_2O}})", message.trim_end_matches('.'))
            } else {
                message
            }
        })
}

/// `\boxed{…}` is drawn as a one-cell array with a rule above and at the
/// sides (all math-core can draw); its table gets the rule below too.
fn closed_boxes(mathml: String) -> String {
    const OPEN: &str = "<mtable style=\"border-left: 0.05em solid currentcolor;border-top: 0.05em solid currentcolor;\" displaystyle=\"false\" scriptlevel=\"0\"><mtr><mtd style=\"border-right: 0.05em solid currentcolor;\">";
    const BOXED: &str = "<mtable style=\"border: 0.05em solid currentcolor;\" displaystyle=\"false\" scriptlevel=\"0\"><mtr><mtd style=\"padding: 0.2em 0.4em;\">";
    mathml.replace(OPEN, BOXED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formulas_convert() {
        let cases = [
            (r"\frac{a}{b}", "<mfrac>"),
            (r"\sum_{i=1}^{n} i", "∑"),
            (r"x_i^2", "<msubsup>"),
            (r"\alpha + \Omega", "α"),
            (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "<mtable"),
            (r"\sqrt{2}", "<msqrt>"),
            (
                r"f(x) = \begin{cases} 1 & x > 0 \\ 0 \end{cases}",
                "<mtable",
            ),
        ];
        for (tex, expect) in cases {
            let m = to_mathml(tex, false).unwrap();
            assert!(m.starts_with("<math") && m.contains(expect), "{tex}: {m}");
        }
        assert!(to_mathml("x", true).unwrap().contains("display=\"block\""));
    }

    #[test]
    fn what_mathjax_renders_in_obsidian_renders() {
        let tag = to_mathml(r"E = mc^2 \tag{1}", true).unwrap();
        assert!(tag.contains("(1)"), "{tag}");
        let boxed = to_mathml(r"\boxed{x = 1}", true).unwrap();
        assert!(
            boxed.contains("<mtable style=\"border: 0.05em solid currentcolor;\""),
            "{boxed}"
        );
        let sub = to_mathml(r"\sum_{\substack{0<i<m\\0<j<n}} P(i,j)", true).unwrap();
        assert!(sub.contains("<mtable"), "{sub}");
        for tex in [
            r"\begin{align} a &= b \\ c &= d \end{align}",
            r"\operatorname{rank}(A) = \text{le rang}",
            r"\mathbb{R} \mathcal{F} \mathfrak{g}",
            r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}",
            r"\xrightarrow{n} \overbrace{a+b}^{2} \binom{n}{k} \lVert v \rVert",
        ] {
            assert!(to_mathml(tex, true).is_ok(), "{tex}");
        }
        let ce = to_mathml(r"\ce{H2O}", true).unwrap_err();
        assert!(ce.contains("mhchem") && ce.contains(r"\mathrm"), "{ce}");
    }

    #[test]
    fn bad_formulas_say_why() {
        let e = to_mathml(r"\frac{1}{", false).unwrap_err();
        assert!(!e.is_empty());
        let e = to_mathml(r"\nosuchmacro{x}", false).unwrap_err();
        assert!(e.contains("nosuchmacro"), "{e}");
    }
}
