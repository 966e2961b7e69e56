//! HTML escaping, shared by every stage that writes markup (render, the
//! templates, navigation, emit). It sits below all of them.

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, HTML-escaped (see [`escape`]): copies the runs
/// between special characters in one piece.
pub fn escape_into(out: &mut String, s: &str) {
    /// What each byte becomes, for the bytes that need escaping.
    const ESCAPED: [Option<&str>; 256] = {
        let mut t = [None; 256];
        t[b'&' as usize] = Some("&amp;");
        t[b'<' as usize] = Some("&lt;");
        t[b'>' as usize] = Some("&gt;");
        t[b'"' as usize] = Some("&quot;");
        t[b'\'' as usize] = Some("&#39;");
        t
    };
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them needs escaping (most text).
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        if let Some(rep) = ESCAPED[usize::from(bytes[i])] {
            // The special characters are ASCII, so `i` is a character boundary.
            out.push_str(&s[last..i]);
            out.push_str(rep);
            last = i + 1;
        }
        i += 1;
    }
    out.push_str(&s[last..]);
}

/// Whether any of the eight bytes of `word` is `&`, `<`, `>`, `"` or `'`
/// (the classic test for a zero byte, on `word` XOR each of them).
fn needs_escape(word: u64) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(LOW) & !x & HIGH;
    [b'&', b'<', b'>', b'"', b'\'']
        .iter()
        .fold(0, |acc, &c| acc | has_zero(word ^ (LOW * u64::from(c))))
        != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::mixed_strings;

    #[test]
    fn escape_agrees_with_a_byte_by_byte_escape() {
        let slow = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        // Special characters at every offset of a chunk and across chunk
        // ends, among accents (multi-byte), « », and bytes one off them.
        let pieces = [
            "&",
            "<",
            ">",
            "\"",
            "'",
            "é",
            "«\u{a0}",
            "’",
            "a",
            "%",
            "=",
            "?",
            "(",
            "\u{1F600}",
        ];
        for s in mixed_strings(&pieces, 40, 50, 7) {
            assert_eq!(escape(&s), slow(&s), "{s:?}");
        }
        let long = "Texte sans caractère spécial, assez long pour plusieurs blocs de huit octets";
        assert_eq!(escape(long), long);
        assert_eq!(escape(&format!("{long}&")), format!("{long}&amp;"));
    }

    #[test]
    fn escape_covers_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
        );
    }
}
