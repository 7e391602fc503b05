//! Keepsake's per-file hot paths in native code, run without the interpreter lock.
//!
//! A backup of many small files spends most of its time in the interpreter and in handing its
//! lock between threads around every system call, not in hashing or sealing. These functions do
//! the whole per-file work for a batch of files (or blobs) in one call that releases the lock,
//! so two threads really run on two cores. The format is exactly `app/core/sealing.py`'s; the
//! Python path stays as the fallback and as the reference the tests compare against.

mod ahead;
mod files;
mod listing;
mod seal;
mod sys;
mod write;

use pyo3::prelude::*;

#[pymodule]
fn keepsake_native(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add("FORMAT_VERSION", seal::VERSION)?;
    m.add_function(wrap_pyfunction!(files::read_files, m)?)?;
    m.add_function(wrap_pyfunction!(listing::list_folder, m)?)?;
    m.add_class::<listing::Listed>()?;
    m.add_function(wrap_pyfunction!(ahead::list_ahead, m)?)?;
    m.add_class::<ahead::ListAhead>()?;
    m.add_function(wrap_pyfunction!(seal::seal_many, m)?)?;
    m.add_function(wrap_pyfunction!(seal::open_many, m)?)?;
    m.add_function(wrap_pyfunction!(write::write_files, m)?)?;
    m.add_function(wrap_pyfunction!(write::rename_many, m)?)?;
    Ok(())
}
