//! Reads small files whole, consistently, and names their contents by keyed BLAKE3.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::sys::{errno, retrying};

const ATTEMPTS: usize = 3;

/// The stat fields the engine keeps, in `os.stat_result` order, nanosecond times last.
pub type StatFields = [i64; 13];

enum Outcome {
    /// stat, contents, keyed hash
    Read(StatFields, Vec<u8>, [u8; 32]),
    /// larger than the limit when opened: the caller streams it instead
    TooLarge,
    /// not a regular file any more (replaced by a folder, a device, ...)
    NotRegular,
    /// it changed on every attempt
    Unstable,
    Failed(i32),
}

fn fstat(fd: libc::c_int) -> Result<libc::stat, i32> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(errno());
    }
    Ok(st)
}

pub fn fields(st: &libc::stat) -> StatFields {
    [
        st.st_mode as i64,
        st.st_ino as i64,
        st.st_dev as i64,
        st.st_nlink as i64,
        st.st_uid as i64,
        st.st_gid as i64,
        st.st_size,
        st.st_atime * 1_000_000_000 + st.st_atime_nsec,
        st.st_mtime * 1_000_000_000 + st.st_mtime_nsec,
        st.st_ctime * 1_000_000_000 + st.st_ctime_nsec,
        st.st_blksize,
        st.st_blocks,
        st.st_rdev as i64,
    ]
}

fn same_version(a: &libc::stat, b: &libc::stat) -> bool {
    (
        a.st_ino,
        a.st_size,
        a.st_mtime,
        a.st_mtime_nsec,
        a.st_ctime,
        a.st_ctime_nsec,
    ) == (
        b.st_ino,
        b.st_size,
        b.st_mtime,
        b.st_mtime_nsec,
        b.st_ctime,
        b.st_ctime_nsec,
    )
}

/// Reads to the end or until `buf` is full; returns how many bytes were read.
fn read_full(fd: libc::c_int, buf: &mut [u8]) -> Result<usize, i32> {
    let mut got = 0;
    while got < buf.len() {
        let rest = &mut buf[got..];
        let n = retrying(|| unsafe {
            libc::read(fd, rest.as_mut_ptr() as *mut libc::c_void, rest.len())
        })?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

/// One attempt: None when the file changed while it was read.
fn attempt(path: &CString, limit: i64, key: &[u8; 32]) -> Result<Option<Outcome>, i32> {
    // O_NONBLOCK: a file swapped for a FIFO since it was listed must not block the batch.
    let flags =
        libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NOCTTY | libc::O_NONBLOCK;
    let fd = unsafe { libc::open(path.as_ptr(), flags) };
    if fd < 0 {
        return Err(errno());
    }
    let result = (|| {
        let before = fstat(fd)?;
        if before.st_mode & libc::S_IFMT != libc::S_IFREG {
            return Ok(Some(Outcome::NotRegular));
        }
        if before.st_size > limit {
            return Ok(Some(Outcome::TooLarge));
        }
        // One byte more than the size reveals a file that grew.
        let mut data = vec![0u8; before.st_size as usize + 1];
        let got = read_full(fd, &mut data)?;
        data.truncate(got);
        let after = fstat(fd)?;
        if got as i64 != after.st_size || !same_version(&before, &after) {
            return Ok(None);
        }
        if after.st_size > limit {
            return Ok(Some(Outcome::TooLarge));
        }
        let id = *blake3::keyed_hash(key, &data).as_bytes();
        Ok(Some(Outcome::Read(fields(&after), data, id)))
    })();
    unsafe { libc::close(fd) };
    result
}

fn read_one(path: &PathBuf, limit: i64, key: &[u8; 32]) -> Outcome {
    let c_path = match CString::new(path.as_os_str().as_bytes()) {
        Ok(p) => p,
        Err(_) => return Outcome::Failed(libc::EINVAL),
    };
    for _ in 0..ATTEMPTS {
        match attempt(&c_path, limit, key) {
            Ok(Some(outcome)) => return outcome,
            Ok(None) => continue,
            Err(e) => return Outcome::Failed(e),
        }
    }
    Outcome::Unstable
}

/// Reads each of `paths` whole (not following a final symlink) if it is a regular file of at
/// most `limit` bytes, checks it did not change while being read (else reads it again, up to
/// three times), and hashes it with `key`. One result per path, in order:
/// `(stat_fields, data, id)` on success, `"large"`, `"irregular"`, `"unstable"`, or an errno.
#[pyfunction]
pub fn read_files(
    py: Python,
    paths: Vec<PathBuf>,
    limit: i64,
    key: &[u8],
) -> PyResult<Vec<PyObject>> {
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| pyo3::exceptions::PyValueError::new_err("the id key must be 32 bytes"))?;
    let outcomes: Vec<Outcome> =
        py.allow_threads(|| paths.iter().map(|p| read_one(p, limit, &key)).collect());
    Ok(outcomes
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Read(st, data, id) => PyTuple::new(
                py,
                &[
                    PyTuple::new(py, st.iter()).to_object(py),
                    PyBytes::new(py, &data).to_object(py),
                    PyBytes::new(py, &id).to_object(py),
                ],
            )
            .to_object(py),
            Outcome::TooLarge => "large".to_object(py),
            Outcome::NotRegular => "irregular".to_object(py),
            Outcome::Unstable => "unstable".to_object(py),
            Outcome::Failed(e) => e.to_object(py),
        })
        .collect())
}
