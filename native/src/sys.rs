//! The two things every system call here needs: its errno, and a retry when a signal cut it short.

pub fn errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

/// Runs a call that returns -1 and sets errno on failure (read, write, fsync, ...) until it
/// is not interrupted by a signal: its non-negative result, or the errno.
pub fn retrying(mut call: impl FnMut() -> isize) -> Result<usize, i32> {
    loop {
        let n = call();
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}
