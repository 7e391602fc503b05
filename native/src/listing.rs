//! Lists one folder: names, lstat of each entry, link targets, without the interpreter lock.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use crate::files::{fields, StatFields};
use crate::sys::errno;

enum Kind {
    File,
    Dir,
    Link(Vec<u8>),
    Other,
}

struct Entry {
    name: Vec<u8>,
    order: Vec<u32>,
    outcome: Result<(StatFields, Kind), (i32, &'static str)>,
}

/// The order Python sorts the names in: by code point of the name decoded as the file system
/// encoding does (UTF-8, each undecodable byte as a lone surrogate U+DC80..U+DCFF).
fn python_order(mut name: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(name.len());
    loop {
        match std::str::from_utf8(name) {
            Ok(valid) => {
                out.extend(valid.chars().map(|c| c as u32));
                return out;
            }
            Err(e) => {
                let (valid, rest) = name.split_at(e.valid_up_to());
                let valid = std::str::from_utf8(valid).expect("checked just above");
                out.extend(valid.chars().map(|c| c as u32));
                let bad = e.error_len().unwrap_or(rest.len());
                out.extend(rest[..bad].iter().map(|&b| 0xDC00 + b as u32));
                name = &rest[bad..];
            }
        }
    }
}

fn read_link(dir: libc::c_int, name: &CStr) -> Result<Vec<u8>, i32> {
    let mut size = 256;
    loop {
        let mut buf = vec![0u8; size];
        let n = unsafe {
            libc::readlinkat(
                dir,
                name.as_ptr(),
                buf.as_mut_ptr() as *mut libc::c_char,
                size,
            )
        };
        if n < 0 {
            return Err(errno());
        }
        if (n as usize) < size {
            buf.truncate(n as usize);
            return Ok(buf);
        }
        size *= 4;
    }
}

fn examine(dir: libc::c_int, name: Vec<u8>) -> Option<Entry> {
    let c_name = CString::new(name.clone()).ok()?;
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let order = python_order(&name);
    if unsafe { libc::fstatat(dir, c_name.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) } != 0 {
        let e = errno();
        if e == libc::ENOENT {
            return None; // deleted while we looked: not part of this listing
        }
        return Some(Entry {
            name,
            order,
            outcome: Err((e, "stat")),
        });
    }
    let kind = match st.st_mode & libc::S_IFMT {
        libc::S_IFREG => Kind::File,
        libc::S_IFDIR => Kind::Dir,
        libc::S_IFLNK => match read_link(dir, &c_name) {
            Ok(target) => Kind::Link(target),
            Err(e) => {
                return Some(Entry {
                    name,
                    order,
                    outcome: Err((e, "readlink")),
                })
            }
        },
        _ => Kind::Other,
    };
    Some(Entry {
        name,
        order,
        outcome: Ok((fields(&st), kind)),
    })
}

fn list(path: &PathBuf) -> Result<Vec<Entry>, i32> {
    let c_path = CString::new(path.as_os_str().as_bytes()).map_err(|_| libc::EINVAL)?;
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
    let fd = unsafe { libc::open(c_path.as_ptr(), flags) };
    if fd < 0 {
        return Err(errno());
    }
    let stream = unsafe { libc::fdopendir(fd) };
    if stream.is_null() {
        let e = errno();
        unsafe { libc::close(fd) };
        return Err(e);
    }
    let mut names = Vec::new();
    let failed = loop {
        clear_errno();
        let entry = unsafe { libc::readdir(stream) };
        if entry.is_null() {
            let e = errno_or_zero();
            break if e == 0 { None } else { Some(e) };
        }
        let name = unsafe { CStr::from_ptr((*entry).d_name.as_ptr()) }.to_bytes();
        if name != b"." && name != b".." {
            names.push(name.to_vec());
        }
    };
    let entries = match failed {
        None => Ok(names
            .into_iter()
            .filter_map(|n| examine(fd, n))
            .collect::<Vec<_>>()),
        Some(e) => Err(e),
    };
    unsafe { libc::closedir(stream) }; // closes fd too
    let mut entries = entries?;
    entries.sort_by(|a, b| a.order.cmp(&b.order));
    Ok(entries)
}

/// readdir(3) tells the end of a folder from an error only by errno, so it is cleared first.
fn clear_errno() {
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    unsafe {
        *libc::__error() = 0
    };
    #[cfg(not(any(target_os = "macos", target_os = "ios", target_os = "freebsd")))]
    unsafe {
        *libc::__errno_location() = 0
    };
}

fn errno_or_zero() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Lists the folder at `path` (not following links in it), sorted as Python sorts the names.
/// An errno if the folder cannot be listed; else `(stamps, files, dirs, links, others,
/// problems)`: `stamps` the `(name, mode, ino, size, mtime_ns, ctime_ns, link target or None)`
/// of the files and links, in order (what the folder cache fingerprints); `files` and `dirs`
/// `(name, stat_fields)`; `links` `(name, stat_fields, target)`; `others` the names of entries
/// that are none of these; `problems` `(name, errno, "stat" or "readlink")`. Names are OS bytes.
#[pyfunction]
pub fn list_dir(py: Python, path: PathBuf) -> PyResult<PyObject> {
    let entries = match py.allow_threads(|| list(&path)) {
        Ok(entries) => entries,
        Err(e) => return Ok(e.to_object(py)),
    };
    let stamps = PyList::empty(py);
    let files = PyList::empty(py);
    let dirs = PyList::empty(py);
    let links = PyList::empty(py);
    let others = PyList::empty(py);
    let problems = PyList::empty(py);
    for entry in entries {
        let name = PyBytes::new(py, &entry.name);
        let (st, kind) = match entry.outcome {
            Ok(found) => found,
            Err((e, what)) => {
                problems.append((name, e, what))?;
                continue;
            }
        };
        let stat = PyTuple::new(py, st.iter());
        let (mode, ino, size, mtime, ctime) = (st[0], st[1], st[6], st[8], st[9]);
        match kind {
            Kind::File => {
                stamps.append((name, mode, ino, size, mtime, ctime, py.None()))?;
                files.append((name, stat))?;
            }
            Kind::Link(target) => {
                let target = PyBytes::new(py, &target);
                stamps.append((name, mode, ino, size, mtime, ctime, target))?;
                links.append((name, stat, target))?;
            }
            Kind::Dir => dirs.append((name, stat))?,
            Kind::Other => others.append(name)?,
        }
    }
    Ok((stamps, files, dirs, links, others, problems).to_object(py))
}
