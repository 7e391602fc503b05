//! Lists one folder: names, lstat of each entry, link targets, without the interpreter lock.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

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

fn list(path: &Path) -> Result<Vec<Entry>, i32> {
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
    for entry in &mut entries {
        entry.order = Vec::new(); // sorted: a listing held ahead of the walk need not keep it
    }
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

/// Keyed BLAKE3, under this domain, of each file's and link's name and lstat: the folder
/// cache's fingerprint (`app/core/dircache.py` computes the same in Python).
const FINGERPRINT_DOMAIN: &[u8] = b"keepsake/v2/dir-fingerprint";

/// Per file or link, in listing order: name length (u32) and name; mode (u32); inode (u64);
/// size, mtime_ns, ctime_ns (i64); 0, or 1 and the link target's length (u32) and target. All
/// little-endian. `None` when an entry could not be examined (no fingerprint then).
fn fingerprint(key: &[u8; 32], entries: &[Entry]) -> Option<[u8; 32]> {
    let mut buf = Vec::with_capacity(entries.len() * 64);
    for entry in entries {
        let (st, kind) = entry.outcome.as_ref().ok()?;
        let target = match kind {
            Kind::File => None,
            Kind::Link(target) => Some(target),
            Kind::Dir | Kind::Other => continue,
        };
        buf.extend_from_slice(&(entry.name.len() as u32).to_le_bytes());
        buf.extend_from_slice(&entry.name);
        buf.extend_from_slice(&(st[0] as u32).to_le_bytes());
        buf.extend_from_slice(&(st[1] as u64).to_le_bytes());
        for value in [st[6], st[8], st[9]] {
            buf.extend_from_slice(&value.to_le_bytes());
        }
        match target {
            None => buf.push(0),
            Some(target) => {
                buf.push(1);
                buf.extend_from_slice(&(target.len() as u32).to_le_bytes());
                buf.extend_from_slice(target);
            }
        }
    }
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(FINGERPRINT_DOMAIN);
    hasher.update(&buf);
    Some(*hasher.finalize().as_bytes())
}

/// One folder, listed and fingerprinted; its entries become Python objects only when asked
/// for, so a folder the cache reuses whole costs no object per file.
#[pyclass(module = "keepsake_native")]
pub struct Listed {
    entries: Vec<Entry>,
    digest: Option<[u8; 32]>,
}

impl Listed {
    /// How many entries the folder has (all kinds).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `(name, stat_fields)` of the entries of the kinds wanted, in order.
    fn named_stats(&self, py: Python, wanted: fn(&Kind) -> bool) -> PyResult<PyObject> {
        let out = PyList::empty(py);
        for entry in &self.entries {
            if let Ok((st, kind)) = &entry.outcome {
                if wanted(kind) {
                    out.append((PyBytes::new(py, &entry.name), PyTuple::new(py, st.iter())))?;
                }
            }
        }
        Ok(out.to_object(py))
    }

    /// The names of the subfolders, in order.
    pub fn dir_names(&self) -> impl Iterator<Item = &[u8]> {
        self.entries.iter().filter_map(|e| match &e.outcome {
            Ok((_, Kind::Dir)) => Some(e.name.as_slice()),
            _ => None,
        })
    }
}

/// Lists and fingerprints a folder (no interpreter lock needed): a `Listed`, or the errno.
pub fn list_listed(path: &Path, key: &[u8; 32]) -> Result<Listed, i32> {
    list(path).map(|entries| {
        let digest = fingerprint(key, &entries);
        Listed { entries, digest }
    })
}

#[pymethods]
impl Listed {
    /// The folder cache's fingerprint, or None if some entry could not be examined.
    #[getter]
    fn fingerprint(&self, py: Python) -> PyObject {
        match &self.digest {
            Some(d) => PyBytes::new(py, d).to_object(py),
            None => py.None(),
        }
    }

    /// How many symbolic links the folder holds.
    #[getter]
    fn link_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Ok((_, Kind::Link(_)))))
            .count()
    }

    /// `(name, stat_fields)` of the subfolders.
    fn dirs(&self, py: Python) -> PyResult<PyObject> {
        self.named_stats(py, |kind| matches!(kind, Kind::Dir))
    }

    /// `(name, stat_fields)` of the regular files.
    fn files(&self, py: Python) -> PyResult<PyObject> {
        self.named_stats(py, |kind| matches!(kind, Kind::File))
    }

    /// `(name, stat_fields, target)` of the symbolic links.
    fn links(&self, py: Python) -> PyResult<PyObject> {
        let out = PyList::empty(py);
        for entry in &self.entries {
            if let Ok((st, Kind::Link(target))) = &entry.outcome {
                let name = PyBytes::new(py, &entry.name);
                out.append((name, PyTuple::new(py, st.iter()), PyBytes::new(py, target)))?;
            }
        }
        Ok(out.to_object(py))
    }

    /// Names of the entries that are neither files, folders nor links.
    fn others(&self, py: Python) -> PyResult<PyObject> {
        let out = PyList::empty(py);
        for entry in &self.entries {
            if let Ok((_, Kind::Other)) = &entry.outcome {
                out.append(PyBytes::new(py, &entry.name))?;
            }
        }
        Ok(out.to_object(py))
    }

    /// `(name, errno, "stat" or "readlink")` of the entries that could not be examined.
    fn problems(&self, py: Python) -> PyResult<PyObject> {
        let out = PyList::empty(py);
        for entry in &self.entries {
            if let Err((e, what)) = &entry.outcome {
                out.append((PyBytes::new(py, &entry.name), *e, *what))?;
            }
        }
        Ok(out.to_object(py))
    }
}

/// Lists the folder at `path` (not following links in it), sorted as Python sorts the names,
/// and fingerprints it with `key` (32 bytes), all without the interpreter lock. An errno if the
/// folder cannot be listed, else a `Listed`. Names are OS bytes.
#[pyfunction]
pub fn list_folder(py: Python, path: PathBuf, key: &[u8]) -> PyResult<PyObject> {
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| pyo3::exceptions::PyValueError::new_err("the key must be 32 bytes"))?;
    let listed = py.allow_threads(|| list_listed(&path, &key));
    match listed {
        Ok(listed) => Ok(Py::new(py, listed)?.to_object(py)),
        Err(e) => Ok(e.to_object(py)),
    }
}
