"""Seals blobs (compress, then AES-256-GCM bound to id and type) and opens them again.

Format v1, sealed blob bytes:
`V (1) | type (1) | session_id (16) | nonce (12) | ciphertext | tag (16)`, where the plaintext is
`codec (1: 0 raw, 1 zstd) | payload` and the AAD is `b"keepsake" | V | type | blob_id` (16-byte ids
left-padded with zeros to 32). The key is per session: `HKDF-SHA256(ikm=type key,
salt=session_id, info=b"keepsake/v1/session")`, and the nonce is a big-endian counter inside the
session. A random session per backup run keeps nonces unique even if the client's own state is
rolled back (restored VM, copied profile): no counter is ever persisted.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import threading
from enum import IntEnum

import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import IntegrityError
from app.core.keys import Subkeys, chunk_id, tree_hash

VERSION = 1
SESSION_ID_SIZE = 16
NONCE_SIZE = 12
TAG_SIZE = 16
HEADER_SIZE = 2 + SESSION_ID_SIZE + NONCE_SIZE
SEAL_OVERHEAD = HEADER_SIZE + 1 + TAG_SIZE  # header, codec byte, GCM tag

SESSION_LIMIT = 2**32  # blobs per session; then a fresh session is drawn
ZSTD_LEVEL = 3
MIN_SAVING = 0.03  # store raw unless compression saves at least 3 %
PROBE_MIN = 64 * 1024  # blobs from this size are sampled before being compressed whole
PROBE_SPOTS = 8
PROBE_SLICE = 4 * 1024
PROBE_LEVEL = 1
ONE_SHOT_MAX = 64 * 1024  # payloads below this are encrypted in one AESGCM call

_CODEC_RAW = 0
_TAMPERED = "authentication failed (tampered, truncated or misplaced)"
_CODEC_ZSTD = 1
_AAD_PREFIX = b"keepsake"
_SESSION_INFO = b"keepsake/v1/session"


class BlobType(IntEnum):
    DATA = 1
    TREE = 2
    SNAPSHOT = 3
    INDEX = 4
    PACK_HEADER = 5


# Content blobs are named by their keyed hash (32 bytes); the others by 16 random bytes.
_ID_SIZES = {
    BlobType.DATA: 32,
    BlobType.TREE: 32,
    BlobType.SNAPSHOT: 16,
    BlobType.INDEX: 16,
    BlobType.PACK_HEADER: 16,
}

_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    """One compressor per thread: a shared one crashes the interpreter."""
    cctx: zstandard.ZstdCompressor | None = getattr(_local, "cctx", None)
    if cctx is None:
        cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        _local.cctx = cctx
    return cctx


def _probe_compressor() -> zstandard.ZstdCompressor:
    cctx: zstandard.ZstdCompressor | None = getattr(_local, "probe", None)
    if cctx is None:
        cctx = zstandard.ZstdCompressor(level=PROBE_LEVEL)
        _local.probe = cctx
    return cctx


def _decompressor() -> zstandard.ZstdDecompressor:
    dctx: zstandard.ZstdDecompressor | None = getattr(_local, "dctx", None)
    if dctx is None:
        dctx = zstandard.ZstdDecompressor()
        _local.dctx = dctx
    return dctx


def _type_key(subkeys: Subkeys, blob_type: BlobType) -> bytes:
    """File contents under `enc`; everything describing them under `meta`."""
    return subkeys.enc if blob_type is BlobType.DATA else subkeys.meta


@functools.lru_cache(maxsize=256)
def _session_algorithm(type_key: bytes, session_id: bytes) -> algorithms.AES:
    """Cached: a restore opens thousands of blobs from the same few sessions."""
    return algorithms.AES(_session_key(type_key, session_id))


@functools.lru_cache(maxsize=256)
def _session_aead(type_key: bytes, session_id: bytes) -> AESGCM:
    return AESGCM(_session_key(type_key, session_id))


def _session_key(type_key: bytes, session_id: bytes) -> bytes:
    hkdf = HKDF(algorithm=SHA256(), length=32, salt=session_id, info=_SESSION_INFO)
    return hkdf.derive(type_key)


def _aad(blob_type: BlobType, blob_id: bytes) -> bytes:
    return _AAD_PREFIX + bytes((VERSION, blob_type)) + blob_id.rjust(32, b"\0")


def id_size(blob_type: BlobType) -> int:
    return _ID_SIZES[blob_type]


def _check_id(blob_type: BlobType, blob_id: bytes) -> bool:
    return isinstance(blob_id, bytes) and len(blob_id) == _ID_SIZES[blob_type]


class _Session:
    """One random session key and its nonce counter; thread-safe."""

    def __init__(self, type_key: bytes) -> None:
        self.session_id = secrets.token_bytes(SESSION_ID_SIZE)
        key = _session_key(type_key, self.session_id)
        self.key = key
        self.algorithm = algorithms.AES(key)
        self.aead = AESGCM(key)
        self._lock = threading.Lock()
        self._next = 1

    def take_nonces(self, count: int) -> int | None:
        """The first of `count` consecutive unused nonce counters, or None if the session
        cannot hold that many more."""
        with self._lock:
            n = self._next
            if n + count - 1 > SESSION_LIMIT:
                return None
            self._next = n + count
        return n


def _compressible(data: bytes | memoryview) -> bool:
    """Whether zstd may save at least MIN_SAVING on `data`, judged from a sample.

    Most of a typical backup's bytes (photos, videos, archives) are already compressed, and zstd
    spends about as long failing to shrink them as it does shrinking text. So a sample of
    PROBE_SPOTS slices spread over the blob is compressed first (~3 % of the work); only if it
    shrinks is the whole blob compressed. A blob that mixes runs of compressible and random data
    (a disk image) is caught as long as one slice lands in a compressible run."""
    n = len(data)
    if n < PROBE_MIN:
        return True
    view = memoryview(data)
    step = n // PROBE_SPOTS
    sample = b"".join(view[i * step : i * step + PROBE_SLICE] for i in range(PROBE_SPOTS))
    packed = _probe_compressor().compress(sample)
    return len(packed) <= len(sample) * (1 - MIN_SAVING)


class Sealer:
    """Seals blobs for one backup run. Thread-safe: workers share it; nonces never repeat."""

    def __init__(self, subkeys: Subkeys) -> None:
        self._subkeys = subkeys
        self._lock = threading.Lock()
        self._sessions = {
            "enc": _Session(subkeys.enc),
            "meta": _Session(subkeys.meta),
        }

    def _take(self, blob_type: BlobType) -> tuple[_Session, bytes]:
        session, counter = self._claim(blob_type, 1)
        return session, counter.to_bytes(NONCE_SIZE, "big")

    def _claim(self, blob_type: BlobType, count: int) -> tuple[_Session, int]:
        """A session with `count` nonces left, and the first of them; a used-up session is
        replaced by a fresh one (once, however many threads find it used up)."""
        slot = "enc" if blob_type is BlobType.DATA else "meta"
        while True:
            session = self._sessions[slot]
            first = session.take_nonces(count)
            if first is not None:
                return session, first
            with self._lock:
                if self._sessions[slot] is session:
                    self._sessions[slot] = _Session(_type_key(self._subkeys, blob_type))

    def reserve(self, blob_type: BlobType, count: int) -> tuple[bytes, bytes, int]:
        """`count` consecutive nonces of one session, for sealing a batch elsewhere (the native
        module): the session key, the session id and the first nonce counter."""
        if not 0 < count <= SESSION_LIMIT:
            raise ValueError("a batch takes between 1 and SESSION_LIMIT nonces")
        session, first = self._claim(BlobType(blob_type), count)
        return session.key, session.session_id, first

    def seal(
        self,
        blob_type: BlobType,
        blob_id: bytes,
        plaintext: bytes | memoryview,
        *,
        compress: bool = True,
    ) -> bytes:
        """Compress (when it pays) and encrypt one blob, bound to its id and type."""
        parts = self.seal_parts(blob_type, blob_id, plaintext, compress=compress)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def seal_parts(
        self,
        blob_type: BlobType,
        blob_id: bytes,
        plaintext: bytes | memoryview,
        *,
        compress: bool = True,
    ) -> tuple[bytes, ...]:
        """`seal`, as the pieces that make up the sealed blob, in order: a pack takes them as
        they are, so a large blob's ciphertext is never copied into one buffer with its header
        and tag (a copy of up to 8 MiB per chunk, held twice while it is made)."""
        blob_type = BlobType(blob_type)
        if not _check_id(blob_type, blob_id):
            raise ValueError(f"a {blob_type.name} blob id must be {_ID_SIZES[blob_type]} bytes")
        codec = _CODEC_RAW
        payload: bytes | memoryview = plaintext
        if compress and len(plaintext) > 0 and _compressible(plaintext):
            packed = _compressor().compress(plaintext)
            if len(packed) <= len(plaintext) * (1 - MIN_SAVING):
                codec, payload = _CODEC_ZSTD, packed
        session, nonce = self._take(blob_type)
        header = bytes((VERSION, blob_type)) + session.session_id + nonce
        aad = _aad(blob_type, blob_id)
        if len(payload) < ONE_SHOT_MAX:
            # Small blobs (most files): one call; copying the payload behind the codec byte
            # costs less than setting up a streaming cipher.
            return (header + session.aead.encrypt(nonce, bytes((codec,)) + payload, aad),)
        encryptor = Cipher(session.algorithm, modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        # Streaming GCM encrypts the codec byte and the payload without concatenating them first:
        # the payload is copied once, into its ciphertext.
        head = encryptor.update(bytes((codec,)))
        body = encryptor.update(payload)
        tail = encryptor.finalize()
        return (header + head, body, tail + encryptor.tag)


def open_blob(
    subkeys: Subkeys,
    blob_type: BlobType,
    blob_id: bytes,
    sealed: bytes | memoryview,
    *,
    what: str = "",
) -> bytes:
    """Authenticate, decrypt and decompress one blob; any mismatch is an IntegrityError.

    DATA and TREE plaintexts are re-hashed and compared with their id, so even a blob sealed by
    the right key under the wrong id is never returned as the wrong content.
    """
    blob_type = BlobType(blob_type)
    name = what or (blob_id.hex() if isinstance(blob_id, bytes) else repr(blob_id))
    if not _check_id(blob_type, blob_id):
        raise IntegrityError(name, f"malformed {blob_type.name.lower()} id")
    view = memoryview(sealed)
    if len(view) < SEAL_OVERHEAD:
        raise IntegrityError(name, "sealed blob is truncated")
    if view[0] != VERSION:
        raise IntegrityError(name, f"unknown blob format version {view[0]}")
    if view[1] != blob_type:
        raise IntegrityError(
            name, f"expected a {blob_type.name.lower()} blob, found type {view[1]}"
        )
    session_id = bytes(view[2 : 2 + SESSION_ID_SIZE])
    nonce = bytes(view[2 + SESSION_ID_SIZE : HEADER_SIZE])
    type_key = _type_key(subkeys, blob_type)
    aad = _aad(blob_type, blob_id)
    payload: bytes | memoryview
    if len(view) - SEAL_OVERHEAD < ONE_SHOT_MAX:
        # Small blobs: one call (it checks the tag before returning anything).
        try:
            opened = _session_aead(type_key, session_id).decrypt(nonce, view[HEADER_SIZE:], aad)
        except InvalidTag:
            raise IntegrityError(name, _TAMPERED) from None
        codec, payload = opened[0], memoryview(opened)[1:]
    else:
        tag = bytes(view[-TAG_SIZE:])
        cipher = Cipher(_session_algorithm(type_key, session_id), modes.GCM(nonce, tag))
        decryptor = cipher.decryptor()
        decryptor.authenticate_additional_data(aad)
        # The codec byte is decrypted on its own so the payload needs no slicing copy. Nothing
        # decrypted is looked at before finalize() has checked the tag.
        codec = decryptor.update(view[HEADER_SIZE : HEADER_SIZE + 1])[0]
        payload = decryptor.update(view[HEADER_SIZE + 1 : -TAG_SIZE])
        try:
            decryptor.finalize()
        except InvalidTag:
            raise IntegrityError(name, _TAMPERED) from None
    plaintext = _decode_payload(name, codec, payload)
    if blob_type is BlobType.DATA:
        actual = chunk_id(subkeys, plaintext)
    elif blob_type is BlobType.TREE:
        actual = tree_hash(subkeys, plaintext)
    else:
        return plaintext
    if not hmac.compare_digest(actual, blob_id):
        raise IntegrityError(name, "content does not match its id")
    return plaintext


def _decode_payload(name: str, codec: int, payload: bytes | memoryview) -> bytes:
    if codec == _CODEC_RAW:
        return payload if isinstance(payload, bytes) else bytes(payload)
    if codec == _CODEC_ZSTD:
        try:
            return _decompressor().decompress(payload)
        except zstandard.ZstdError as exc:
            raise IntegrityError(name, f"cannot decompress: {exc}") from None
    raise IntegrityError(name, f"unknown codec {codec}")
