/**
 * The group environment G_Ristretto255 of CPace (draft-irtf-cfrg-cpace-21, section 8.3 "CPace
 * group objects G_Ristretto255 and G_Decaf448 for prime-order group abstractions"), on
 * @noble/curves' ristretto255 (RFC 9496). ristretto255 has prime order, so there are no
 * small-subgroup points to clear: a received share is safe once it decodes canonically and is
 * not the identity.
 *
 * Group elements live in two forms, as in the draft: the internal point (`GroupElement`, the
 * draft's `_g`) and the public 32-byte encoding that goes on the wire.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { randomBytes } from '@noble/hashes/utils.js';

/** G.DSI: the domain-separation identifier of this group. */
export const DSI = new TextEncoder().encode('CPaceRistretto255');
/** G.field_size_bytes: an encoded element (a public share Y, or K) is 32 bytes. */
export const ELEMENT_SIZE = 32;
/** G.group_size_bits: scalars are sampled with this many random bits. */
export const GROUP_SIZE_BITS = 252;
/** G.group_order = 2^252 + 27742317777372353535851937790883648493. */
export const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
/** G.I: the public encoding of the identity (neutral) element. */
export const IDENTITY_ENCODING: Uint8Array = new Uint8Array(ELEMENT_SIZE);

/** A point in noble's internal representation (the draft's underscore values such as `_g`). */
export type GroupElement = InstanceType<typeof ristretto255.Point>;

/** A secret scalar y in [1, group order). Branded so that any bigint cannot pass for one. */
export type Scalar = bigint & { readonly __cpaceScalar: true };

/** Why a received share (or the secret point K computed from it) was refused. */
export type ShareProblem =
  /** Not exactly 32 bytes. */
  | 'wrong-length'
  /** Not the canonical encoding of a ristretto255 element (RFC 9496 decode fails). */
  | 'not-an-element'
  /** The identity element: it would make K the identity, whatever the password. */
  | 'identity';

export type VerifiedMult = { ok: true; value: Uint8Array } | { ok: false; problem: ShareProblem };

/** Little-endian bytes to an integer. */
function integerFromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/**
 * A scalar from its 32-byte little-endian encoding, or undefined if it is not in [1, order).
 * For test vectors and callers with their own randomness; a session uses sampleScalar().
 */
export function scalarFromBytes(littleEndian: Uint8Array): Scalar | undefined {
  if (littleEndian.length !== 32) return undefined;
  const value = integerFromLittleEndian(littleEndian);
  return value > 0n && value < GROUP_ORDER ? (value as Scalar) : undefined;
}

/**
 * G.sample_scalar() as the draft recommends: 32 random bytes with the bits above
 * group_size_bits (252) cleared, read little-endian. That is below 2^252, so always below the
 * group order; zero (probability 2^-252) is drawn again because it would make the share the
 * identity. `random` is replaceable only so tests can be deterministic.
 */
export function sampleScalar(random: (length: number) => Uint8Array = randomBytes): Scalar {
  for (;;) {
    const bytes = random(32);
    bytes[31] &= 0x0f; // keep bits 0..251
    const value = integerFromLittleEndian(bytes);
    bytes.fill(0);
    if (value !== 0n) return value as Scalar;
  }
}

/** G.scalar_mult(y, _g): the public encoding of y * _g (used for our own share Y = y * g). */
export function scalarMult(y: Scalar, g: GroupElement): Uint8Array {
  return g.multiply(y).toBytes();
}

/**
 * G.scalar_mult_vfy(y, X): decode the peer's encoded element X, refuse it if it does not decode
 * or is the identity, and return the encoding of y * X. The draft returns G.I on failure and
 * makes the caller compare with it; here failure is a separate branch that cannot be hashed
 * by mistake. (y * X cannot be the identity for X != I in a prime-order group with 0 < y <
 * order; it is checked anyway, as the draft's abort condition is stated on the result.)
 * Never throws on hostile input.
 */
export function scalarMultVfy(y: Scalar, encoded: Uint8Array): VerifiedMult {
  if (encoded.length !== ELEMENT_SIZE) return { ok: false, problem: 'wrong-length' };
  let x: GroupElement;
  try {
    x = ristretto255.Point.fromBytes(encoded);
  } catch {
    return { ok: false, problem: 'not-an-element' };
  }
  if (x.is0()) return { ok: false, problem: 'identity' };
  const product = x.multiply(y);
  if (product.is0()) return { ok: false, problem: 'identity' };
  return { ok: true, value: product.toBytes() };
}
