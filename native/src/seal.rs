//! Sealing and opening blobs in format v1, byte for byte as `app/core/sealing.py` does.
//!
//! Sealed blob: `V | type | session_id (16) | nonce (12) | AES-256-GCM(codec | payload) | tag`,
//! AAD `b"keepsake" | V | type | id left-padded to 32`, session key
//! `HKDF-SHA256(ikm=type key, salt=session_id, info=b"keepsake/v1/session")`.

use std::cell::RefCell;
use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::hkdf;

pub const VERSION: u8 = 1;
const SESSION_ID_SIZE: usize = 16;
const NONCE_SIZE: usize = 12;
const TAG_SIZE: usize = 16;
const HEADER_SIZE: usize = 2 + SESSION_ID_SIZE + NONCE_SIZE;
const SEAL_OVERHEAD: usize = HEADER_SIZE + 1 + TAG_SIZE;

const ZSTD_LEVEL: i32 = 3;
const MIN_SAVING: f64 = 0.03;
const PROBE_MIN: usize = 64 * 1024;
const PROBE_SPOTS: usize = 8;
const PROBE_SLICE: usize = 4 * 1024;
const PROBE_LEVEL: i32 = 1;

const CODEC_RAW: u8 = 0;
const CODEC_ZSTD: u8 = 1;
const SESSION_INFO: &[u8] = b"keepsake/v1/session";
const TAMPERED: &str = "authentication failed (tampered, truncated or misplaced)";
const SESSIONS_CACHED: usize = 256;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = RefCell::new(None);
    static PROBE: RefCell<Option<zstd::bulk::Compressor<'static>>> = RefCell::new(None);
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = RefCell::new(None);
    static SESSIONS: RefCell<HashMap<([u8; 32], [u8; SESSION_ID_SIZE]), [u8; 32]>> =
        RefCell::new(HashMap::new());
}

fn compress_with(
    slot: &'static std::thread::LocalKey<RefCell<Option<zstd::bulk::Compressor<'static>>>>,
    level: i32,
    data: &[u8],
) -> Option<Vec<u8>> {
    slot.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = zstd::bulk::Compressor::new(level).ok();
        }
        cell.as_mut()?.compress(data).ok()
    })
}

fn saves_enough(packed: usize, original: usize) -> bool {
    (packed as f64) <= (original as f64) * (1.0 - MIN_SAVING)
}

/// Whether zstd may save MIN_SAVING on `data`, judged from a sample (see `_compressible`).
fn compressible(data: &[u8]) -> bool {
    let n = data.len();
    if n < PROBE_MIN {
        return true;
    }
    let step = n / PROBE_SPOTS;
    let mut sample = Vec::with_capacity(PROBE_SPOTS * PROBE_SLICE);
    for i in 0..PROBE_SPOTS {
        let start = i * step;
        let end = (start + PROBE_SLICE).min(n);
        sample.extend_from_slice(&data[start..end]);
    }
    match compress_with(&PROBE, PROBE_LEVEL, &sample) {
        Some(packed) => saves_enough(packed.len(), sample.len()),
        None => false,
    }
}

fn aad(blob_type: u8, blob_id: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(8 + 2 + 32);
    aad.extend_from_slice(b"keepsake");
    aad.push(VERSION);
    aad.push(blob_type);
    aad.resize(aad.len() + 32 - blob_id.len(), 0);
    aad.extend_from_slice(blob_id);
    aad
}

fn aead_key(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).expect("a 32-byte AES-256 key"))
}

fn nonce_bytes(counter: u64) -> [u8; NONCE_SIZE] {
    let mut nonce = [0u8; NONCE_SIZE];
    nonce[NONCE_SIZE - 8..].copy_from_slice(&counter.to_be_bytes());
    nonce
}

fn seal_one(
    key: &LessSafeKey,
    session_id: &[u8; SESSION_ID_SIZE],
    counter: u64,
    blob_type: u8,
    blob_id: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let mut codec = CODEC_RAW;
    let mut packed = None;
    if !plaintext.is_empty() && compressible(plaintext) {
        if let Some(p) = compress_with(&COMPRESSOR, ZSTD_LEVEL, plaintext) {
            if saves_enough(p.len(), plaintext.len()) {
                codec = CODEC_ZSTD;
                packed = Some(p);
            }
        }
    }
    let payload = packed.as_deref().unwrap_or(plaintext);
    let nonce = nonce_bytes(counter);
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + payload.len());
    out.push(VERSION);
    out.push(blob_type);
    out.extend_from_slice(session_id);
    out.extend_from_slice(&nonce);
    out.push(codec);
    out.extend_from_slice(payload);
    let tag = key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(blob_type, blob_id)),
            &mut out[HEADER_SIZE..],
        )
        .expect("a blob far below GCM's size limit");
    out.extend_from_slice(tag.as_ref());
    out
}

fn array<const N: usize>(value: &[u8], what: &str) -> PyResult<[u8; N]> {
    value
        .try_into()
        .map_err(|_| PyValueError::new_err(format!("{what} must be {N} bytes")))
}

/// Seals `items` (id, plaintext) as blobs of `blob_type` under one session key, with the
/// nonces `first_nonce`, `first_nonce + 1`, ... reserved by the caller for exactly this call.
#[pyfunction]
pub fn seal_many(
    py: Python,
    session_key: &[u8],
    session_id: &[u8],
    first_nonce: u64,
    blob_type: u8,
    items: Vec<(&[u8], &[u8])>,
) -> PyResult<Vec<PyObject>> {
    let key = aead_key(&array::<32>(session_key, "the session key")?);
    let session_id = array::<SESSION_ID_SIZE>(session_id, "the session id")?;
    if items.iter().any(|(id, _)| id.len() > 32) {
        return Err(PyValueError::new_err("a blob id is at most 32 bytes"));
    }
    let sealed: Vec<Vec<u8>> = py.allow_threads(|| {
        items
            .iter()
            .enumerate()
            .map(|(i, (id, data))| {
                seal_one(
                    &key,
                    &session_id,
                    first_nonce + i as u64,
                    blob_type,
                    id,
                    data,
                )
            })
            .collect()
    });
    Ok(sealed
        .iter()
        .map(|s| PyBytes::new(py, s).to_object(py))
        .collect())
}

fn session_key(type_key: &[u8; 32], session_id: &[u8; SESSION_ID_SIZE]) -> [u8; 32] {
    SESSIONS.with(|cell| {
        let mut cache = cell.borrow_mut();
        if let Some(key) = cache.get(&(*type_key, *session_id)) {
            return *key;
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, session_id).extract(type_key);
        let mut key = [0u8; 32];
        prk.expand(&[SESSION_INFO], hkdf::HKDF_SHA256)
            .and_then(|okm| okm.fill(&mut key))
            .expect("32 bytes is a valid HKDF-SHA256 length");
        if cache.len() >= SESSIONS_CACHED {
            cache.clear();
        }
        cache.insert((*type_key, *session_id), key);
        key
    })
}

fn decompress(payload: &[u8], max_size: usize) -> Result<Vec<u8>, String> {
    let size = match zstd::zstd_safe::get_frame_content_size(payload) {
        Ok(Some(size)) => size,
        Ok(None) => return Err("cannot decompress: no content size in the frame".into()),
        Err(_) => return Err("cannot decompress: not a zstd frame".into()),
    };
    if size > max_size as u64 {
        return Err(format!(
            "cannot decompress: {size} bytes is more than a blob may hold"
        ));
    }
    DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = zstd::bulk::Decompressor::new().ok();
        }
        let dctx = cell.as_mut().ok_or("cannot decompress: no memory")?;
        let out = dctx
            .decompress(payload, size as usize)
            .map_err(|e| format!("cannot decompress: {e}"))?;
        if out.len() as u64 != size {
            return Err("cannot decompress: the frame is shorter than it says".into());
        }
        Ok(out)
    })
}

fn open_one(
    type_key: &[u8; 32],
    hash_key: Option<&[u8; 32]>,
    blob_type: u8,
    type_name: &str,
    blob_id: &[u8],
    id_size: usize,
    sealed: &[u8],
    max_size: usize,
) -> Result<(Vec<u8>, usize), String> {
    if blob_id.len() != id_size || blob_id.len() > 32 {
        return Err(format!("malformed {type_name} id"));
    }
    if sealed.len() < SEAL_OVERHEAD {
        return Err("sealed blob is truncated".into());
    }
    if sealed[0] != VERSION {
        return Err(format!("unknown blob format version {}", sealed[0]));
    }
    if sealed[1] != blob_type {
        return Err(format!(
            "expected a {type_name} blob, found type {}",
            sealed[1]
        ));
    }
    let session_id: [u8; SESSION_ID_SIZE] = sealed[2..2 + SESSION_ID_SIZE].try_into().unwrap();
    let nonce: [u8; NONCE_SIZE] = sealed[2 + SESSION_ID_SIZE..HEADER_SIZE].try_into().unwrap();
    let key = aead_key(&session_key(type_key, &session_id));
    let mut body = sealed[HEADER_SIZE..].to_vec();
    let opened = key
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(blob_type, blob_id)),
            &mut body,
        )
        .map_err(|_| TAMPERED.to_string())?;
    let plaintext = match opened[0] {
        CODEC_RAW => {
            // The plaintext follows the codec byte; it stays where it is (`remove(0)` would
            // move all of it) and is copied once, into its Python object.
            let n = opened.len();
            body.truncate(n);
            (body, 1)
        }
        CODEC_ZSTD => (decompress(&opened[1..], max_size)?, 0),
        codec => return Err(format!("unknown codec {codec}")),
    };
    if let Some(hash_key) = hash_key {
        // blake3::Hash compares in constant time.
        let hash = blake3::keyed_hash(hash_key, &plaintext.0[plaintext.1..]);
        if hash != blake3::Hash::from(array32(blob_id)) {
            return Err("content does not match its id".into());
        }
    }
    Ok(plaintext)
}

fn array32(id: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if id.len() == 32 {
        out.copy_from_slice(id);
    }
    out
}

/// Opens blobs of `blob_type` (called `type_name` in errors, with ids of `id_size` bytes) lying
/// in `buffer` at (offset, length) under their ids: each is
/// authenticated, decrypted, decompressed (to at most `max_size` bytes) and, when `hash_key`
/// is given, re-hashed and compared with its id. One result per item: the plaintext, or a
/// string saying why the blob cannot be trusted.
#[pyfunction]
pub fn open_many(
    py: Python,
    type_key: &[u8],
    hash_key: Option<&[u8]>,
    blob_type: u8,
    type_name: &str,
    id_size: usize,
    buffer: &[u8],
    items: Vec<(usize, usize, &[u8])>,
    max_size: usize,
) -> PyResult<Vec<PyObject>> {
    let type_key = array::<32>(type_key, "the type key")?;
    let hash_key = hash_key
        .map(|k| array::<32>(k, "the hash key"))
        .transpose()?;
    if hash_key.is_some() && id_size != 32 {
        return Err(PyValueError::new_err("ids that are hashes are 32 bytes"));
    }
    let opened: Vec<Result<(Vec<u8>, usize), String>> = py.allow_threads(|| {
        items
            .iter()
            .map(|&(offset, length, id)| match offset.checked_add(length) {
                Some(end) if end <= buffer.len() => open_one(
                    &type_key,
                    hash_key.as_ref(),
                    blob_type,
                    type_name,
                    id,
                    id_size,
                    &buffer[offset..end],
                    max_size,
                ),
                _ => Err("sealed blob is truncated".into()),
            })
            .collect()
    });
    Ok(opened
        .into_iter()
        .map(|r| match r {
            Ok((plain, start)) => PyBytes::new(py, &plain[start..]).to_object(py),
            Err(why) => why.to_object(py),
        })
        .collect())
}
