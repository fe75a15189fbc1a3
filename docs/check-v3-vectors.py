#!/usr/bin/env python3
"""An independent implementation of MSP v3 (suite 0x02: CPace on ristretto255) that checks the
test vectors of the TypeScript one.

It shares no code with the TypeScript implementation and uses no elliptic-curve library:
ristretto255 (RFC 9496) is written here from the RFC with Python integers, CPace
(draft-irtf-cfrg-cpace-21) from the draft, HKDF-SHA256 (RFC 5869) with hmac. Everything is the
standard library except AES-256-GCM, which comes from the `cryptography` package (AES is not in
the standard library).

Three stages, in order; each prints one line per check and the script exits non-zero if any
check fails:
  1. RFC 9496 self-test: the group against the RFC's own Appendix A vectors.
  2. CPace self-test: CPace against the draft's ristretto255 vectors
     (tests/fixtures/cpace-ristretto255-vectors.json, copied from the draft's Appendix B.3).
  3. MSP v3: every field of tests/fixtures/msp-v3-vectors.json recomputed from its `inputs`.

This is a checker, not an implementation to deploy: nothing here runs in constant time.

Usage (from anywhere; the defaults are the repository's fixtures):

    apt-get install python3-cryptography      # or: pip install cryptography
    python3 docs/check-v3-vectors.py [MSP_V3_VECTORS.json] [--cpace-vectors CPACE_VECTORS.json]
    python3 docs/check-v3-vectors.py --self-test-only     # stages 1 and 2 only
"""
import argparse
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import unicodedata

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------------------------
# Field arithmetic mod p = 2^255 - 19 (RFC 9496 section 4.1), on plain Python integers.
# ---------------------------------------------------------------------------------------------

P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P  # the edwards25519 curve constant d
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1 (the RFC's SQRT_M1, which is even)
# The RFC's constants, as it states them (checked against their definitions in the self-test).
SQRT_AD_MINUS_ONE = 25063068953384623474111414158702152701244531502492656460079210482610430750235
INVSQRT_A_MINUS_D = 54469307008909316920995813868745141605393597292927456921205312896311721017578
ONE_MINUS_D_SQ = 1159843021668779879193775521855586647937357759715417654439879720876111806838
D_MINUS_ONE_SQ = 40440834346308536858101042469323190826248399146238708352240133220865137265952
# The prime order of ristretto255 (and of edwards25519's base point).
GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493


def is_negative(x):
    """RFC 9496 section 4.1: a field element is negative when its canonical value is odd."""
    return x % P % 2 == 1


def absolute(x):
    """CT_ABS: the non-negative one of x and -x."""
    return (-x) % P if is_negative(x) else x % P


def sqrt_ratio_m1(u, v):
    """SQRT_RATIO_M1(u, v), RFC 9496 section 4.2: (was_square, the non-negative root of u/v
    or of SQRT_M1 * u/v)."""
    u, v = u % P, v % P
    v3 = v * v % P * v % P
    v7 = v3 * v3 % P * v % P
    r = u * v3 % P * pow(u * v7 % P, (P - 5) // 8, P) % P
    check = v * r % P * r % P
    correct_sign = check == u
    flipped_sign = check == (-u) % P
    flipped_sign_i = check == (-u) * SQRT_M1 % P
    if flipped_sign or flipped_sign_i:
        r = r * SQRT_M1 % P
    return correct_sign or flipped_sign, absolute(r)


# ---------------------------------------------------------------------------------------------
# edwards25519 points in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, x*y = T/Z.
# ---------------------------------------------------------------------------------------------

IDENTITY = (0, 1, 1, 0)
_BASE_Y = 4 * pow(5, P - 2, P) % P
_BASE_X = 15112221349535400772501151409588531511454012693041857206046113283949847762202
BASE = (_BASE_X, _BASE_Y, 1, _BASE_X * _BASE_Y % P)


def point_add(p1, p2):
    """Addition on -x^2 + y^2 = 1 + d x^2 y^2 (the unified formula, so also doubling)."""
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * D * t1 * t2 % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def point_multiply(n, point):
    """n * point by double-and-add (variable time: fine for a checker)."""
    result = IDENTITY
    while n > 0:
        if n & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        n >>= 1
    return result


def points_equal(p1, p2):
    """Ristretto equality, RFC 9496 section 4.3.3 (equal as group elements, not as points)."""
    x1, y1, _, _ = p1
    x2, y2, _, _ = p2
    return (x1 * y2 - y1 * x2) % P == 0 or (y1 * y2 - x1 * x2) % P == 0


# ---------------------------------------------------------------------------------------------
# ristretto255 (RFC 9496 section 4.3): decode, encode, element derivation.
# ---------------------------------------------------------------------------------------------

def decode(encoded):
    """RFC 9496 section 4.3.1: the point, or None when the 32 bytes are not a canonical encoding."""
    if len(encoded) != 32:
        return None
    s = int.from_bytes(encoded, "little")
    if s >= P or is_negative(s):  # non-canonical (including the top bit set) or negative
        return None
    ss = s * s % P
    u1 = (1 - ss) % P
    u2 = (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 % P * u1) - u2_sqr) % P
    was_square, invsqrt = sqrt_ratio_m1(1, v * u2_sqr)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x % P * v % P
    x = absolute(2 * s * den_x)
    y = u1 * den_y % P
    t = x * y % P
    if not was_square or is_negative(t) or y == 0:
        return None
    return (x, y, 1, t)


def encode(point):
    """RFC 9496 section 4.3.2: the canonical 32-byte encoding."""
    x0, y0, z0, t0 = point
    u1 = (z0 + y0) * (z0 - y0) % P
    u2 = x0 * y0 % P
    _, invsqrt = sqrt_ratio_m1(1, u1 * u2 % P * u2)
    den1 = invsqrt * u1 % P
    den2 = invsqrt * u2 % P
    z_inv = den1 * den2 % P * t0 % P
    if is_negative(t0 * z_inv):  # rotate
        x, y, den_inv = y0 * SQRT_M1 % P, x0 * SQRT_M1 % P, den1 * INVSQRT_A_MINUS_D % P
    else:
        x, y, den_inv = x0, y0, den2
    if is_negative(x * z_inv):
        y = -y
    s = absolute(den_inv * (z0 - y))
    return s.to_bytes(32, "little")


def _map_to_point(t_bytes):
    """MAP, RFC 9496 section 4.3.4: one Elligator map of 32 bytes (top bit ignored)."""
    t = int.from_bytes(t_bytes, "little") % 2**255 % P
    r = SQRT_M1 * t % P * t % P
    u = (r + 1) * ONE_MINUS_D_SQ % P
    v = (-1 - r * D) * (r + D) % P
    was_square, s = sqrt_ratio_m1(u, v)
    if was_square:
        c = P - 1
    else:
        s, c = (-absolute(s * t)) % P, r
    n = (c * (r - 1) % P * D_MINUS_ONE_SQ - v) % P
    w0 = 2 * s * v % P
    w1 = n * SQRT_AD_MINUS_ONE % P
    w2 = (1 - s * s) % P
    w3 = (1 + s * s) % P
    return (w0 * w3 % P, w2 * w1 % P, w1 * w3 % P, w0 * w2 % P)


def element_derivation(uniform_bytes):
    """RFC 9496 section 4.3.4: a group element from 64 uniformly random bytes."""
    assert len(uniform_bytes) == 64
    return point_add(_map_to_point(uniform_bytes[:32]), _map_to_point(uniform_bytes[32:]))


# ---------------------------------------------------------------------------------------------
# CPace (draft-irtf-cfrg-cpace-21) on ristretto255 with SHA-512 (its section 8.3).
# ---------------------------------------------------------------------------------------------

DSI = b"CPaceRistretto255"
DSI_ISK = DSI + b"_ISK"
SHA512_BLOCK_SIZE = 128  # H.s_in_bytes


def leb128(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def prepend_len(data):
    """Appendix A.1.1: the length as LEB128, then the data."""
    return leb128(len(data)) + data


def lv_cat(*items):
    """Appendix A.1.3: the length-value concatenation."""
    return b"".join(prepend_len(item) for item in items)


def lexicographically_larger(a, b):
    """Appendix A.3.1."""
    for x, y in zip(a, b):
        if x != y:
            return x > y
    return len(a) > len(b)


def o_cat(a, b):
    """Appendix A.3.2: ordered concatenation, the larger string first."""
    return b"oc" + (a + b if lexicographically_larger(a, b) else b + a)


def transcript_ir(ya, ada, yb, adb):
    """Appendix A.3.4: the initiator-responder transcript."""
    return lv_cat(ya, ada) + lv_cat(yb, adb)


def transcript_oc(ya, ada, yb, adb):
    """Appendix A.3.6: the transcript for parallel (symmetric) runs."""
    return o_cat(lv_cat(ya, ada), lv_cat(yb, adb))


def generator_string(prs, ci, sid):
    """Section 8.1: DSI and PRS, zero-padded to fill SHA-512's first block, then CI and sid."""
    zpad = max(0, SHA512_BLOCK_SIZE - 1 - len(prepend_len(prs)) - len(prepend_len(DSI)))
    return lv_cat(DSI, prs, bytes(zpad), ci, sid)


def calculate_generator(prs, ci, sid):
    """Section 8.3: element_derivation(SHA-512(generator_string))."""
    return element_derivation(hashlib.sha512(generator_string(prs, ci, sid)).digest())


def scalar_from_bytes(little_endian):
    """A 32-byte little-endian scalar in [1, order), as the draft's vectors encode ya and yb
    (the TypeScript scalarFromBytes takes exactly these and refuses anything else)."""
    value = int.from_bytes(little_endian, "little")
    if len(little_endian) != 32 or not 0 < value < GROUP_ORDER:
        raise ValueError(f"not a scalar in [1, order): {little_endian.hex()}")
    return value


def scalar_mult_vfy(y, encoded):
    """Section 8.3 scalar_mult_vfy: the encoding of y * X, or None (the draft's G.I) when X does
    not decode or the result is the identity."""
    point = decode(encoded)
    if point is None:
        return None
    result = encode(point_multiply(y, point))
    return None if result == bytes(32) else result


def intermediate_session_key(sid, k, transcript):
    """Section 7.2: ISK = SHA-512(lv_cat(DSI || "_ISK", sid, K) || transcript)."""
    return hashlib.sha512(lv_cat(DSI_ISK, sid, k) + transcript).digest()


def sid_output(transcript):
    """Section 10.6."""
    return hashlib.sha512(b"CPaceSidOutput" + transcript).digest()


# ---------------------------------------------------------------------------------------------
# Checks: one line each.
# ---------------------------------------------------------------------------------------------

class Checks:
    def __init__(self):
        self.failed = []
        self.count = 0

    def equal(self, name, got, want):
        self.record(name, got == want, "" if got == want else f"got {_show(got)}, want {_show(want)}")

    def record(self, name, passed, detail=""):
        self.count += 1
        print(("ok  " if passed else "BAD ") + name + ("" if passed else f": {detail}"))
        if not passed:
            self.failed.append(name)


def _show(value):
    return value.hex() if isinstance(value, (bytes, bytearray)) else repr(value)


unhex = bytes.fromhex


# ---------------------------------------------------------------------------------------------
# Stage 1: RFC 9496 Appendix A (ristretto255 test vectors), hex as printed in the RFC.
# ---------------------------------------------------------------------------------------------

RFC9496_MULTIPLES = [  # A.1: encodings of 0*B .. 15*B
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
    "f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
    "44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
    "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
    "02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
    "20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
    "bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
    "e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
    "aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
    "46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
    "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
]

RFC9496_INVALID = {  # A.2: encodings that decoding must reject, by reason
    "non-canonical field encoding": [
        "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ],
    "negative field element": [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
        "c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
        "c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78",
        "47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24",
        "f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72",
        "87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309",
    ],
    "non-square x^2": [
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
        "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
        "de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
        "bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042",
        "2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08",
        "f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
        "8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731",
        "2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b",
    ],
    "negative x*y": [
        "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
        "a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
        "d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e",
        "8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32",
        "32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
        "227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
        "5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
        "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
    ],
    "s = -1, which makes y = 0": [
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ],
}

RFC9496_FROM_UNIFORM_BYTES = [  # A.3: (64 input bytes, encoded element)
    ("5d1be09e3d0c82fc538112490e35701979d99e06ca3e2b5b54bffe8b4dc772c1"
     "4d98b696a1bbfb5ca32c436cc61c16563790306c79eaca7705668b47dffe5bb6",
     "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46"),
    ("f116b34b8f17ceb56e8732a60d913dd10cce47a6d53bee9204be8b44f6678b27"
     "0102a56902e2488c46120e9276cfe54638286b9e4b3cdb470b542d46c2068d38",
     "f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b"),
    ("8422e1bbdaab52938b81fd602effb6f89110e1e57208ad12d9ad767e2e25510c"
     "27140775f9337088b982d83d7fcf0b2fa1edffe51952cbe7365e95c86eaf325c",
     "006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826"),
    ("ac22415129b61427bf464e17baee8db65940c233b98afce8d17c57beeb7876c2"
     "150d15af1cb1fb824bbd14955f2b57d08d388aab431a391cfc33d5bafb5dbbaf",
     "f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a"),
    ("165d697a1ef3d5cf3c38565beefcf88c0f282b8e7dbd28544c483432f1cec767"
     "5debea8ebb4e5fe7d6f6e5db15f15587ac4d4d4a1de7191e0c1ca6664abcc413",
     "ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179"),
    ("a836e6c9a9ca9f1e8d486273ad56a78c70cf18f0ce10abb1c7172ddd605d7fd2"
     "979854f47ae1ccf204a33102095b4200e5befc0465accc263175485f0e17ea5c",
     "e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628"),
    ("2cdc11eaeb95daf01189417cdddbf95952993aa9cb9c640eb5058d09702c7462"
     "2c9965a697a3b345ec24ee56335b556e677b30e6f90ac77d781064f866a3c982",
     "80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065"),
]

RFC9496_SAME_ELEMENT_INPUTS = [  # A.3: four inputs that all give RFC9496_SAME_ELEMENT
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "1200000000000000000000000000000000000000000000000000000000000000",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0000000000000000000000000000000000000000000000000000000000000080"
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000"
    "1200000000000000000000000000000000000000000000000000000000000080",
]
RFC9496_SAME_ELEMENT = "304282791023b73128d277bdcb5c7746ef2eac08dde9f2983379cb8e5ef0517f"

RFC9496_SQRT_RATIO_M1 = [  # A.4: (u, v, was_square, r), field elements as 32 bytes little-endian
    ("00" * 32, "00" * 32, True, "00" * 32),
    ("00" * 32, "01" + "00" * 31, True, "00" * 32),
    ("01" + "00" * 31, "00" * 32, False, "00" * 32),
    ("02" + "00" * 31, "01" + "00" * 31, False,
     "3c5ff1b5d8e4113b871bd052f9e7bcd0582804c266ffb2d4f4203eb07fdb7c54"),
    ("04" + "00" * 31, "01" + "00" * 31, True, "02" + "00" * 31),
    ("01" + "00" * 31, "04" + "00" * 31, True,
     "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff3f"),
]


def check_rfc9496(checks):
    le = lambda hex_: int.from_bytes(unhex(hex_), "little")
    checks.record("RFC 9496 constants: SQRT_M1^2 = -1, SQRT_AD_MINUS_ONE^2 = -d - 1, "
                  "INVSQRT_A_MINUS_D^2 * (-1 - d) = 1, ONE_MINUS_D_SQ, D_MINUS_ONE_SQ, B on the curve",
                  SQRT_M1 * SQRT_M1 % P == P - 1
                  and SQRT_AD_MINUS_ONE**2 % P == (-D - 1) % P
                  and INVSQRT_A_MINUS_D**2 * (-1 - D) % P == 1
                  and ONE_MINUS_D_SQ == (1 - D * D) % P
                  and D_MINUS_ONE_SQ == (D - 1) ** 2 % P
                  and (-_BASE_X**2 + _BASE_Y**2 - 1 - D * _BASE_X**2 * _BASE_Y**2) % P == 0)

    results = [sqrt_ratio_m1(le(u), le(v)) == (sq, le(r)) for u, v, sq, r in RFC9496_SQRT_RATIO_M1]
    checks.record(f"RFC 9496 A.4 SQRT_RATIO_M1: {sum(results)} of {len(results)} vectors",
                  all(results), f"vectors {[i for i, r in enumerate(results) if not r]} differ")

    sums, products, round_trips = [], [], []
    point = IDENTITY
    for n, want in enumerate(RFC9496_MULTIPLES):
        sums.append(encode(point).hex() == want)
        products.append(encode(point_multiply(n, BASE)).hex() == want)
        decoded = decode(unhex(want))
        round_trips.append(decoded is not None and encode(decoded).hex() == want and points_equal(decoded, point))
        point = point_add(point, BASE)
    for label, results in (("n*B by repeated addition", sums), ("n*B by scalar multiplication", products),
                           ("decode then encode gives the same bytes and point", round_trips)):
        checks.record(f"RFC 9496 A.1 multiples of the generator, {label}: {sum(results)} of 16",
                      all(results), f"n = {[n for n, r in enumerate(results) if not r]} differ")
    checks.record("RFC 9496 group order: order*B is the identity, (order-1)*B = -B",
                  encode(point_multiply(GROUP_ORDER, BASE)) == bytes(32)
                  and encode(point_add(point_multiply(GROUP_ORDER - 1, BASE), BASE)) == bytes(32))

    for reason, encodings in RFC9496_INVALID.items():
        accepted = [e for e in encodings if decode(unhex(e)) is not None]
        checks.record(f"RFC 9496 A.2 bad encodings rejected ({reason}): "
                      f"{len(encodings) - len(accepted)} of {len(encodings)}",
                      not accepted, f"accepted {accepted}")

    results = [encode(element_derivation(unhex(i))).hex() == o for i, o in RFC9496_FROM_UNIFORM_BYTES]
    checks.record(f"RFC 9496 A.3 element derivation from 64 uniform bytes: {sum(results)} of {len(results)}",
                  all(results), f"vectors {[i for i, r in enumerate(results) if not r]} differ")
    results = [encode(element_derivation(unhex(i))).hex() == RFC9496_SAME_ELEMENT for i in RFC9496_SAME_ELEMENT_INPUTS]
    checks.record(f"RFC 9496 A.3 element derivation, four inputs giving one element: {sum(results)} of 4",
                  all(results), f"inputs {[i for i, r in enumerate(results) if not r]} differ")


# ---------------------------------------------------------------------------------------------
# Stage 2: CPace against the draft's vectors (tests/fixtures/cpace-ristretto255-vectors.json).
# ---------------------------------------------------------------------------------------------

def check_cpace_draft(checks, path):
    f = json.load(open(path))
    u = f["string_utilities"]
    name = "CPace draft-irtf-cfrg-cpace-21"

    pl = u["prepend_len"]
    checks.equal(f"{name} A.1.2 prepend_len of '' and '1234'",
                 [prepend_len(unhex(pl[0]["data"])).hex(), prepend_len(unhex(pl[1]["data"])).hex()],
                 [pl[0]["encoded"], pl[1]["encoded"]])
    checks.equal(f"{name} A.1.2 prepend_len of 127 and 128 bytes (LEB128: one byte, then two)",
                 [prepend_len(bytes(range(n))).hex()[:len(c["encoded_head"])] for n, c in ((127, pl[2]), (128, pl[3]))],
                 [pl[2]["encoded_head"], pl[3]["encoded_head"]])
    checks.equal(f"{name} A.1.4 lv_cat", lv_cat(*map(unhex, u["lv_cat"]["items"])).hex(), u["lv_cat"]["encoded"])
    checks.equal(f"{name} A.3.3 lexicographically_larger ({len(u['lexicographically_larger'])} pairs)",
                 [lexicographically_larger(unhex(c["a"]), unhex(c["b"])) for c in u["lexicographically_larger"]],
                 [c["larger"] for c in u["lexicographically_larger"]])
    checks.equal(f"{name} A.3.3 o_cat", [o_cat(unhex(c["a"]), unhex(c["b"])).hex() for c in u["o_cat"]],
                 [c["encoded"] for c in u["o_cat"]])
    for label, function in (("A.3.5 transcript_ir", transcript_ir), ("A.3.7 transcript_oc", transcript_oc)):
        cases = u[label.split()[1]]
        checks.equal(f"{name} {label}", [function(unhex(c["Ya"]), unhex(c["ADa"]), unhex(c["Yb"]), unhex(c["ADb"])).hex() for c in cases],
                     [c["encoded"] for c in cases])

    v = f["ristretto255_sha512"]
    i = v["inputs"]
    prs, ci, sid, ada, adb = unhex(i["PRS"]), unhex(i["CI"]), unhex(i["sid"]), unhex(i["ADa"]), unhex(i["ADb"])
    checks.equal(f"{name} B.3 DSI and DSI || '_ISK'", [DSI.hex(), DSI_ISK.hex()], [i["DSI"], v["DSI_ISK"]])
    gen_str = generator_string(prs, ci, sid)
    checks.equal(f"{name} B.3.1 generator_string ({v['zpad_length']} zero bytes of padding)",
                 gen_str.hex(), v["generator_string"])
    checks.equal(f"{name} B.3.1 SHA-512(generator_string)", hashlib.sha512(gen_str).hexdigest(), v["generator_string_hash"])
    g = calculate_generator(prs, ci, sid)
    checks.equal(f"{name} B.3.1 generator g", encode(g).hex(), v["g"])
    ya, yb = scalar_from_bytes(unhex(i["ya"])), scalar_from_bytes(unhex(i["yb"]))
    big_ya, big_yb = encode(point_multiply(ya, g)), encode(point_multiply(yb, g))
    checks.equal(f"{name} B.3.2 Ya = ya * g", big_ya.hex(), v["Ya"])
    checks.equal(f"{name} B.3.3 Yb = yb * g", big_yb.hex(), v["Yb"])
    k_a, k_b = scalar_mult_vfy(ya, unhex(v["Yb"])), scalar_mult_vfy(yb, unhex(v["Ya"]))
    checks.equal(f"{name} B.3.4 K = scalar_mult_vfy(ya, Yb) = scalar_mult_vfy(yb, Ya)",
                 [k_a and k_a.hex(), k_b and k_b.hex()], [v["K"], v["K"]])
    k = unhex(v["K"])
    ir = transcript_ir(unhex(v["Ya"]), ada, unhex(v["Yb"]), adb)
    oc = transcript_oc(unhex(v["Ya"]), ada, unhex(v["Yb"]), adb)
    checks.equal(f"{name} B.3.5 transcript_ir and the ISK input", [ir.hex(), (lv_cat(DSI_ISK, sid, k) + ir).hex()],
                 [v["transcript_ir"], v["isk_input_ir"]])
    checks.equal(f"{name} B.3.5 ISK_IR", intermediate_session_key(sid, k, ir).hex(), v["ISK_IR"])
    checks.equal(f"{name} B.3.6 transcript_oc (either order) and ISK_SY",
                 [oc.hex(), transcript_oc(unhex(v["Yb"]), adb, unhex(v["Ya"]), ada).hex(), intermediate_session_key(sid, k, oc).hex()],
                 [v["transcript_oc"], v["transcript_oc"], v["ISK_SY"]])
    checks.equal(f"{name} B.3.7 sid_output for ir and oc", [sid_output(ir).hex(), sid_output(oc).hex()],
                 [v["sid_output_ir"], v["sid_output_oc"]])
    c = v["scalar_mult_valid"]
    got = scalar_mult_vfy(scalar_from_bytes(unhex(c["s"])), unhex(c["X"]))
    checks.equal(f"{name} B.3.10 scalar_mult_vfy with valid inputs", got and got.hex(), c["result"])
    c = v["scalar_mult_vfy_invalid"]
    s = scalar_from_bytes(unhex(c["s"]))
    checks.equal(f"{name} B.3.11 scalar_mult_vfy refuses a non-canonical encoding and the identity",
                 [scalar_mult_vfy(s, unhex(c["Y_i1"])), scalar_mult_vfy(s, unhex(c["Y_i2"]))], [None, None])


# ---------------------------------------------------------------------------------------------
# Stage 3: MSP v3 suite 0x02 (docs/PROTOCOL.md) from the vectors file's inputs.
# ---------------------------------------------------------------------------------------------

VERSION = 3
SUITE_CPACE = 0x02
TYPE = {"HELLO": 0x30, "HELLO_REPLY": 0x31, "CLIENT_CONFIRM": 0x32, "SERVER_CONFIRM": 0x33,
        "SEALED_DATA": 0x34, "SEALED_ACK": 0x35, "SEALED_SERVICE": 0x36}
HEADER_SIZE = 6  # SYNC(2) LENGTH(2) VERSION TYPE
FRAME_OVERHEAD = HEADER_SIZE + 1  # and the CRC byte


def header(ptype, payload_length):
    """AA 55, LENGTH (u16 big-endian, the whole frame), VERSION, TYPE."""
    return b"\xaa\x55" + struct.pack(">HBB", payload_length + FRAME_OVERHEAD, VERSION, ptype)


def frame(ptype, payload):
    """A whole MSP frame: header, payload, CRC = sum of the payload bytes mod 256."""
    return header(ptype, len(payload)) + payload + bytes([sum(payload) % 256])


def hkdf_sha256(ikm, salt, info, length=32):
    """RFC 5869 with SHA-256."""
    prk = hmac.new(salt, ikm, "sha256").digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), "sha256").digest()
        out += block
        counter += 1
    return out[:length]


def connection_identity(server_identity):
    """CI = lv_cat("MSP v3 CPace", "initiator=client", "responder=server", server_identity)."""
    return lv_cat(b"MSP v3 CPace", b"initiator=client", b"responder=server", server_identity)


def cpace_run(prs, server_identity, sid, ya, yb):
    """Both sides of the CPace run with ADa = ADb = empty; the initiator is the client."""
    ci = connection_identity(server_identity)
    g = calculate_generator(prs, ci, sid)
    big_ya, big_yb = encode(point_multiply(ya, g)), encode(point_multiply(yb, g))
    k_client, k_server = scalar_mult_vfy(ya, big_yb), scalar_mult_vfy(yb, big_ya)
    if k_client is None or k_client != k_server:
        raise ValueError("the two sides of the CPace run disagree on K")
    isk = intermediate_session_key(sid, k_client, transcript_ir(big_ya, b"", big_yb, b""))
    return {"ci": ci, "generator": encode(g), "Ya": big_ya, "Yb": big_yb, "K": k_client, "isk": isk}


def seal(key, ptype, seq, plaintext):
    """A sealed frame: payload = SEQ(8) || AES-256-GCM(ciphertext || tag), nonce = 0^4 || SEQ,
    AAD = the 6 header bytes || SEQ."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # the one non-stdlib primitive

    seq_bytes = struct.pack(">Q", seq)
    payload_length = len(seq_bytes) + len(plaintext) + 16
    sealed = AESGCM(key).encrypt(b"\x00" * 4 + seq_bytes, plaintext, header(ptype, payload_length) + seq_bytes)
    return frame(ptype, seq_bytes + sealed)


def check_msp_v3(checks, path):
    # RFC 5869 Appendix A.1 (test case 1), so a wrong HKDF shows up as itself, not as 8 wrong keys.
    checks.equal("RFC 5869 A.1 HKDF-SHA256 test case 1",
                 hkdf_sha256(b"\x0b" * 22, bytes(range(13)), bytes(range(0xF0, 0xFA)), 42).hex(),
                 "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    try:
        import cryptography  # noqa: F401  (AES-256-GCM for the sealed packets)
    except ImportError:
        checks.record("MSP v3: AES-256-GCM available", False,
                      "the `cryptography` package is missing (apt-get install python3-cryptography, or pip install cryptography)")
        return
    v = json.load(open(path))
    i, d, f = v["inputs"], v["derived"], v["frames"]
    if "sid" not in i:
        checks.record(f"MSP v3 vectors {_shown_path(path)}", False,
                      "not the suite 0x02 (CPace) schema: no inputs.sid (is it the withdrawn X25519 + scrypt file?)")
        return
    prs = unicodedata.normalize("NFC", i["password"]).encode("utf-8")
    sid, server_identity = unhex(i["sid"]), unhex(i["server_identity"])
    ya, yb = scalar_from_bytes(unhex(i["ya"])), scalar_from_bytes(unhex(i["yb"]))
    run = cpace_run(prs, server_identity, sid, ya, yb)

    hello = frame(TYPE["HELLO"], bytes([SUITE_CPACE]) + sid + run["Ya"])
    reply = frame(TYPE["HELLO_REPLY"], bytes([SUITE_CPACE]) + run["Yb"])
    th = hashlib.sha256(hello + reply).digest()
    keys = {label: hkdf_sha256(run["isk"], th, b"MSP v3 " + label.encode())
            for label in ("c2s key", "s2c key", "c2s confirm", "s2c confirm")}
    tag_c = hmac.new(keys["c2s confirm"], th, "sha256").digest()
    tag_s = hmac.new(keys["s2c confirm"], th, "sha256").digest()
    computed = {
        "prs": prs, "ci": run["ci"], "generator": run["generator"], "Ya": run["Ya"], "Yb": run["Yb"],
        "K": run["K"], "isk": run["isk"], "transcript_hash": th,
        "c2s_key": keys["c2s key"], "s2c_key": keys["s2c key"],
        "c2s_confirm_key": keys["c2s confirm"], "s2c_confirm_key": keys["s2c confirm"],
        "tag_c": tag_c, "tag_s": tag_s,
    }
    for field, want in d.items():
        if field in computed:
            checks.equal(f"MSP v3 derived.{field}", computed[field].hex(), want)
        else:
            checks.record(f"MSP v3 derived.{field}", False, "a field this checker does not know")
    missing = sorted(set(computed) - set(d))
    if missing:
        checks.record("MSP v3 derived has every field of the schema", False, f"missing {missing}")

    frames = {"hello": hello, "hello_reply": reply,
              "client_confirm": frame(TYPE["CLIENT_CONFIRM"], tag_c),
              "server_confirm": frame(TYPE["SERVER_CONFIRM"], tag_s)}
    for field in sorted(set(frames) | set(f)):
        checks.equal(f"MSP v3 frames.{field}", frames[field].hex() if field in frames else None, f.get(field))

    for s in v["sealed"]:
        key = keys["c2s key"] if s["from"] == "client" else keys["s2c key"]
        got = seal(key, TYPE[s["type"]], s["seq"], s["plaintext"].encode("utf-8"))
        checks.equal(f"MSP v3 sealed {s['from']} {s['type']} seq {s['seq']} {s['plaintext']!r}", got.hex(), s["frame"])

    tls = v.get("with_tls_identity")
    if tls is not None:
        other = cpace_run(prs, unhex(tls["server_identity"]), sid, ya, yb)
        for field, want in tls.items():
            if field != "server_identity":
                got = other[field].hex() if field in other else None
                checks.equal(f"MSP v3 with_tls_identity.{field}", got, want)
    else:
        checks.record("MSP v3 with_tls_identity", False, "missing from the file")


def _shown_path(path):
    """Relative to the repository when inside it (the default), else as given."""
    relative = os.path.relpath(os.path.abspath(path), REPOSITORY)
    return path if relative.startswith("..") else relative


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vectors", nargs="?", default=os.path.join(REPOSITORY, "tests/fixtures/msp-v3-vectors.json"))
    parser.add_argument("--cpace-vectors", default=os.path.join(REPOSITORY, "tests/fixtures/cpace-ristretto255-vectors.json"))
    parser.add_argument("--self-test-only", action="store_true", help="check RFC 9496 and the CPace draft only")
    args = parser.parse_args()

    checks = Checks()
    stages = [("RFC 9496 ristretto255 self-test", lambda: check_rfc9496(checks)),
              ("CPace draft-irtf-cfrg-cpace-21 vectors", lambda: check_cpace_draft(checks, args.cpace_vectors))]
    if not args.self_test_only:
        stages.append((f"MSP v3 vectors {_shown_path(args.vectors)}", lambda: check_msp_v3(checks, args.vectors)))
    for title, run in stages:
        started = time.perf_counter()
        print(f"== {title}")
        try:
            run()
        except (KeyError, ValueError, TypeError, OSError) as error:  # a malformed or missing file
            checks.record(title, False, f"stopped: {type(error).__name__}: {error}")
        print(f"   ({(time.perf_counter() - started) * 1000:.0f} ms)")
    if checks.failed:
        sys.exit(f"{len(checks.failed)} of {checks.count} checks failed: {', '.join(checks.failed)}")
    print(f"all {checks.count} checks pass")


if __name__ == "__main__":
    main()
