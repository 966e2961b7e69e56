//! Front-matter splitting and YAML reading never panic, and a parsed block
//! always lies inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(split) = isokb::frontmatter::split(text) {
        assert!(split.body_offset <= text.len());
        if let Some(yaml) = split.yaml {
            let _ = isokb::frontmatter::parse(text, yaml, split.yaml_offset);
        }
    }
});
