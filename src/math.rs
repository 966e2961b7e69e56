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
        .get_or_init(|| LatexToMathML::new(MathCoreConfig::default()).ok())
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
    conv.convert_with_local_state(latex, mode)
        .map(|r| r.mathml)
        .map_err(|e| e.error_message())
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
    fn bad_formulas_say_why() {
        let e = to_mathml(r"\frac{1}{", false).unwrap_err();
        assert!(!e.is_empty());
        let e = to_mathml(r"\nosuchmacro{x}", false).unwrap_err();
        assert!(e.contains("nosuchmacro"), "{e}");
    }
}
