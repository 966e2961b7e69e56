//! How the `isokb` command uses memory: mimalloc (the command's global
//! allocator, set in `main.rs`) tuned for builds that make and drop pages
//! by the thousand.

/// `mi_option_purge_delay` in `mimalloc.h` (2.x and 3.x), which the Rust
/// bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes the allocator; the command calls it before anything is allocated.
pub fn tune() {
    // No transparent huge pages: mimalloc asks for them, and half-used 2 MiB
    // pages added a tenth to the peak memory of a build (250 → 221 MiB at
    // 10,000 notes) for no measurable speed.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Freed memory goes back to the system 10 ms after it was last used (the
    // default of mimalloc 2) instead of 1 s: the pages of a build, made and
    // dropped by the thousand, then stop adding to the peak (10,000 notes:
    // 212 → 192 MiB; 30,000: 537 → 507) for about 2 % more CPU time. The
    // variable `MIMALLOC_PURGE_DELAY` still decides when it is set.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, an integer it reads atomically.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_names() {
        // Its default is 1000 ms in mimalloc 3 and 10 in mimalloc 2, which no
        // option numbered near it has: reading it checks the number.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one of mimalloc's options.
            let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert!(delay == 1000 || delay == 10, "{delay}");
        }
    }
}
