"""A submission's answers, sealed from the moment they are given until their wave closes.

The sealed row is written in the completion's transaction, so anyone with the database
can pair the two; it must therefore say nothing about the answers. They are encrypted
(AES-GCM, a fresh nonce each time) under a key derived from PAIRING_KEY, and padded to a
whole number of blocks first, so that even the length of a sealed row (which the numbers
in the answers and scores would change) is the same for everyone. `owner` finds a
person's sealed row again, for them only; it is computed from their pairing key, and
means nothing without PAIRING_KEY.

Written answers (survey_responses) carry the same two things: `owner` of their wave as the
respondent, different in every wave, and their pairing key sealed (`seal_pairing`), never
in the clear, so that only a holder of PAIRING_KEY can say which answers before the
course and which after are one person's."""
import hashlib
import hmac
import json
import os
import struct
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

BLOCK = 1024  # three shipped questionnaires take about 570 bytes
NONCE_BYTES = 12


class Unreadable(Exception):
    """Sealed under another PAIRING_KEY, or damaged; the row is kept, never dropped."""


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"wellbeing-sealed-answers",
                    info=info).derive(secret.encode())
    return AESGCM(derive(b"sealed answers v1")), derive(b"sealed answers owner v1")


# Every function takes `secret`, the PAIRING_KEY to use, for re-keying (surveys/rekey.py);
# without it, the configured PAIRING_KEY.
def _secret(secret: str | None) -> str:
    return secret if secret is not None else current_app.config["PAIRING_KEY"]


def _cipher(secret: str | None = None) -> AESGCM:
    return _keys(_secret(secret))[0]


def owner(pairing_key: str, wave: str, secret: str | None = None) -> str:
    """Who a sealed row belongs to, as only a holder of PAIRING_KEY can say."""
    derived = _keys(_secret(secret))[1]
    return hmac.new(derived, f"{pairing_key}:{wave}".encode(), hashlib.sha256).hexdigest()


def seal_pairing(cohort_id: int, pairing_key: str, secret: str | None = None) -> bytes:
    """The pairing key of a written answer, encrypted with a fresh nonce: the same person's
    rows of two waves hold different bytes, all of one length."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(secret).encrypt(nonce, pairing_key.encode(),
                                           _pairing_context(cohort_id))


def open_pairing(cohort_id: int, sealed: bytes, secret: str | None = None) -> str:
    try:
        return _cipher(secret).decrypt(bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:]),
                                 _pairing_context(cohort_id)).decode()
    except (InvalidTag, ValueError) as error:
        raise Unreadable("a pairing cannot be opened with this PAIRING_KEY") from error


def _pairing_context(cohort_id: int) -> bytes:
    return f"pairing:{cohort_id}".encode()


def _context(cohort_id: int, wave: str) -> bytes:
    # Bound to its row: a sealed value copied to another cohort or wave will not open.
    return f"{cohort_id}:{wave}".encode()


def seal(cohort_id: int, wave: str, pairing_key: str, given: dict[str, dict],
         secret: str | None = None) -> bytes:
    """`given`: instrument code -> {"answers": {...}, "scores": {...}}."""
    plain = json.dumps({"pairing_key": pairing_key, "given": given},
                       separators=(",", ":")).encode()
    size = -(-(len(plain) + 4) // BLOCK) * BLOCK
    padded = struct.pack(">I", len(plain)) + plain + bytes(size - 4 - len(plain))
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(secret).encrypt(nonce, padded, _context(cohort_id, wave))


def unseal(cohort_id: int, wave: str, sealed: bytes,
           secret: str | None = None) -> tuple[str, dict[str, dict]]:
    """(pairing key, instrument code -> {"answers", "scores"}) of a sealed row."""
    try:
        padded = _cipher(secret).decrypt(bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:]),
                                   _context(cohort_id, wave))
    except (InvalidTag, ValueError) as error:
        raise Unreadable("sealed answers cannot be opened with this PAIRING_KEY") from error
    (length,) = struct.unpack(">I", padded[:4])
    found = json.loads(padded[4:4 + length])
    return found["pairing_key"], found["given"]
