#!/usr/bin/env python3
"""An independent implementation of MSP v3 (docs/PROTOCOL.md) that checks the test vectors.

It shares no code with the TypeScript one: Python's hashlib (scrypt, SHA-256, HMAC) and the
`cryptography` package (X25519, HKDF, AES-GCM). Usage:

    pip install cryptography
    python3 docs/check-v3-vectors.py [tests/fixtures/msp-v3-vectors.json]
"""
import hashlib
import hmac
import json
import struct
import sys
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def frame(version, ptype, payload):
    length = len(payload) + 7
    return b"\xaa\x55" + struct.pack(">HBB", length, version, ptype) + payload + bytes([sum(payload) % 256])


def scrypt(password, salt, kdf):
    return hashlib.scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt=salt,
                          n=2 ** kdf["logN"], r=kdf["r"], p=kdf["p"], maxmem=2 ** 28, dklen=32)


def key(ikm, th, label):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=th, info=b"MSP v3 " + label.encode()).derive(ikm)


def main(path):
    v = json.load(open(path))
    i, d, f = v["inputs"], v["derived"], v["frames"]
    h = bytes.fromhex
    salt = h(i["salt"])
    client = X25519PrivateKey.from_private_bytes(h(i["client_private_key"]))
    server = X25519PrivateKey.from_private_bytes(h(i["server_private_key"]))
    raw = lambda k: k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kdf = i["kdf"]

    hello = frame(3, 0x30, b"\x01" + raw(client))
    reply = frame(3, 0x31, bytes([1, kdf["logN"], kdf["r"], kdf["p"]]) + salt + raw(server))
    master = scrypt(i["password"], salt, kdf)
    shared = client.exchange(X25519PublicKey.from_public_bytes(raw(server)))
    assert shared == server.exchange(X25519PublicKey.from_public_bytes(raw(client)))
    th = hashlib.sha256(hello + reply).digest()
    ikm = master + shared
    keys = {label: key(ikm, th, label) for label in ("c2s key", "s2c key", "c2s confirm", "s2c confirm")}
    client_confirm = frame(3, 0x32, hmac.new(keys["c2s confirm"], th, "sha256").digest())
    server_confirm = frame(3, 0x33, hmac.new(keys["s2c confirm"], th, "sha256").digest())

    checks = [
        ("client_public_key", raw(client), h(d["client_public_key"])),
        ("server_public_key", raw(server), h(d["server_public_key"])),
        ("master", master, h(d["master"])),
        ("shared", shared, h(d["shared"])),
        ("transcript_hash", th, h(d["transcript_hash"])),
        ("c2s_key", keys["c2s key"], h(d["c2s_key"])),
        ("s2c_key", keys["s2c key"], h(d["s2c_key"])),
        ("c2s_confirm_key", keys["c2s confirm"], h(d["c2s_confirm_key"])),
        ("s2c_confirm_key", keys["s2c confirm"], h(d["s2c_confirm_key"])),
        ("hello", hello, h(f["hello"])),
        ("hello_reply", reply, h(f["hello_reply"])),
        ("client_confirm", client_confirm, h(f["client_confirm"])),
        ("server_confirm", server_confirm, h(f["server_confirm"])),
    ]
    for s in v["sealed"]:
        ptype = 0x34 if s["type"] == "SEALED_DATA" else 0x35
        k = keys["c2s key"] if s["from"] == "client" else keys["s2c key"]
        seq = struct.pack(">Q", s["seq"])
        plaintext = s["plaintext"].encode()
        length = 7 + 8 + len(plaintext) + 16
        header = b"\xaa\x55" + struct.pack(">HBB", length, 3, ptype)
        sealed = AESGCM(k).encrypt(b"\x00" * 4 + seq, plaintext, header + seq)  # ciphertext || tag
        checks.append((f"{s['type']} #{s['seq']}", frame(3, ptype, seq + sealed), h(s["frame"])))
    dm = v["default_kdf_master"]
    checks.append(("default_kdf_master", scrypt(dm["password"], h(dm["salt"]), dm["kdf"]), h(dm["master"])))

    failed = [name for name, got, want in checks if got != want]
    for name, got, want in checks:
        print(("ok  " if got == want else "BAD ") + name)
    if failed:
        sys.exit(f"{len(failed)} of {len(checks)} vectors differ: {', '.join(failed)}")
    print(f"all {len(checks)} vectors match")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/msp-v3-vectors.json")
