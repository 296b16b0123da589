//! Allocator settings that keep the server's memory at what it is using.
//!
//! glibc serves a large allocation from a fresh mapping and gives it back when it is freed, but
//! after the first such free it raises that threshold to the freed size, so later allocations of
//! the same size come from the thread's arena and stay resident. Every password check allocates
//! Argon2's 19 MiB: sixteen logins left 238 MB resident on a server that then needed 24 MB
//! (measured). A fixed threshold keeps large buffers out of the arenas.

/// Allocations from this size up are mapped and unmapped on their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Applies the settings; call once at start, before other threads exist.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation parameters; nothing else runs yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}
