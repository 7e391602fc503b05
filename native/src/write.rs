//! Writes restored small files to new temp files in their (already opened) folders.

use std::ffi::CString;

use pyo3::prelude::*;

use crate::sys::{errno, retrying};

fn write_all(fd: libc::c_int, mut data: &[u8]) -> Result<(), i32> {
    while !data.is_empty() {
        let n = retrying(|| unsafe {
            libc::write(fd, data.as_ptr() as *const libc::c_void, data.len())
        })?;
        if n == 0 {
            return Err(libc::EIO);
        }
        data = &data[n..];
    }
    Ok(())
}

/// A call that returns 0 or -1 (fsync, fchmod, futimens), retried when interrupted.
fn retry(mut call: impl FnMut() -> libc::c_int) -> Result<(), i32> {
    retrying(|| call() as isize).map(|_| ())
}

struct File<'a> {
    dir_fd: libc::c_int,
    name: CString,
    pieces: Vec<&'a [u8]>,
    mode: u32,
    mtime_ns: i64,
}

/// Fill, optionally fsync, and stamp an open temp file; it is closed either way.
fn fill(fd: libc::c_int, file: &File, sync: bool) -> Result<i64, i32> {
    let mut written: i64 = 0;
    for piece in &file.pieces {
        write_all(fd, piece)?;
        written += piece.len() as i64;
    }
    if sync {
        retry(|| unsafe { libc::fsync(fd) })?;
    }
    retry(|| unsafe { libc::fchmod(fd, (file.mode & 0o7777) as libc::mode_t) })?;
    let when = libc::timespec {
        tv_sec: file.mtime_ns.div_euclid(1_000_000_000) as libc::time_t,
        tv_nsec: file.mtime_ns.rem_euclid(1_000_000_000) as libc::c_long,
    };
    retry(|| unsafe { libc::futimens(fd, [when, when].as_ptr()) })?;
    Ok(written)
}

fn write_one(file: &File, sync: bool) -> i64 {
    let flags = libc::O_WRONLY
        | libc::O_CREAT
        | libc::O_EXCL
        | libc::O_NOFOLLOW
        | libc::O_CLOEXEC
        | libc::O_NOCTTY;
    let fd = unsafe {
        libc::openat(
            file.dir_fd,
            file.name.as_ptr(),
            flags,
            0o600 as libc::c_uint,
        )
    };
    if fd < 0 {
        return -(errno() as i64);
    }
    let filled = fill(fd, file, sync);
    let closed = unsafe { libc::close(fd) };
    let outcome = match filled {
        Ok(_) if closed != 0 && errno() != libc::EINTR => Err(errno()),
        other => other,
    };
    match outcome {
        Ok(written) => written,
        Err(e) => {
            // O_EXCL made this file ours alone: removing it can never touch another one.
            unsafe { libc::unlinkat(file.dir_fd, file.name.as_ptr(), 0) };
            -(e as i64)
        }
    }
}

/// Writes each (folder fd, new temp name, pieces, mode, mtime_ns) to a file created under that
/// name in that folder (never an existing file, never through a link), fsynced when `sync`,
/// with its mode and mtime set. One result per file: the bytes written, or minus the errno
/// (the temp file is then removed; `-EEXIST`: the name was taken, nothing was written).
#[pyfunction]
pub fn write_files(
    py: Python,
    files: Vec<(i32, &str, Vec<&[u8]>, u32, i64)>,
    sync: bool,
) -> PyResult<Vec<i64>> {
    let mut prepared = Vec::with_capacity(files.len());
    for (dir_fd, name, pieces, mode, mtime_ns) in files {
        let name = CString::new(name)
            .map_err(|_| pyo3::exceptions::PyValueError::new_err("a temp name has a NUL"))?;
        prepared.push(File {
            dir_fd,
            name,
            pieces,
            mode,
            mtime_ns,
        });
    }
    Ok(py.allow_threads(|| prepared.iter().map(|f| write_one(f, sync)).collect()))
}

/// Renames each (folder fd, temp name, final name), names as OS bytes, within its folder,
/// replacing what the final name held (rename(2) itself refuses to put a file over a folder). One errno per item, 0 when
/// it was renamed; a temp file whose rename failed is left for the caller to remove.
#[pyfunction]
pub fn rename_many(py: Python, items: Vec<(i32, &[u8], &[u8])>) -> PyResult<Vec<i32>> {
    let mut prepared = Vec::with_capacity(items.len());
    for (dir_fd, temp, name) in items {
        let nul = |_| pyo3::exceptions::PyValueError::new_err("a file name has a NUL");
        prepared.push((
            dir_fd,
            CString::new(temp).map_err(nul)?,
            CString::new(name).map_err(nul)?,
        ));
    }
    Ok(py.allow_threads(|| {
        prepared
            .iter()
            .map(|(fd, temp, name)| {
                let done = unsafe { libc::renameat(*fd, temp.as_ptr(), *fd, name.as_ptr()) };
                if done == 0 {
                    0
                } else {
                    errno()
                }
            })
            .collect()
    }))
}
