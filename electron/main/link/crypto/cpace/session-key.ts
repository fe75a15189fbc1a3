/**
 * CPace's outputs (draft-irtf-cfrg-cpace-21, section 7.2 "CPace protocol instructions" and
 * section 10.6): the intermediate session key ISK, and the optional public session id.
 * Section 10.3: K must never leave this module's callers; only ISK (through a KDF) may.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, lvCat } from './length-value.ts';
import { DSI } from './ristretto255-group.ts';

/** G.DSI || b"_ISK" = b"CPaceRistretto255_ISK". */
export const DSI_ISK = concatBytes(DSI, new TextEncoder().encode('_ISK'));
/** SHA-512's output: ISK and sid_output are 64 bytes. */
export const ISK_SIZE = 64;

/** ISK = H.hash(lv_cat(G.DSI || b"_ISK", sid, K) || transcript(Ya, ADa, Yb, ADb)). */
export function intermediateSessionKey(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(DSI_ISK, sid, k), transcript));
}

const SID_OUTPUT_PREFIX = new TextEncoder().encode('CPaceSidOutput');

/**
 * sid_output = H.hash(b"CPaceSidOutput" || transcript) (section 10.6): a public session id both
 * honest parties agree on, for runs that started without a sid.
 */
export function sidOutput(transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(SID_OUTPUT_PREFIX, transcript));
}
