/**
 * CPace on ristretto255 / SHA-512 against the draft's published vectors
 * (tests/fixtures/cpace-ristretto255-vectors.json: draft-irtf-cfrg-cpace-21, Appendix A and B.3).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  CPaceParty,
  DSI,
  DSI_ISK,
  IDENTITY_ENCODING,
  calculateGenerator,
  concatBytes,
  generatorString,
  intermediateSessionKey,
  lexicographicallyLarger,
  lvCat,
  oCat,
  prependLen,
  scalarFromBytes,
  scalarMult,
  scalarMultVfy,
  sidOutput,
  transcriptIr,
  transcriptOc,
  type Scalar,
} from '../../electron/main/link/crypto/cpace/index.ts';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { fromHex, hexOf } from '../helpers/vectors.ts';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/cpace-ristretto255-vectors.json', import.meta.url)), 'utf8'));
const u = fixture.string_utilities;
const v = fixture.ristretto255_sha512;
const i = v.inputs;
const scalar = (hex: string): Scalar => {
  const s = scalarFromBytes(fromHex(hex));
  if (s === undefined) throw new Error(`not a scalar: ${hex}`);
  return s;
};
const range = (n: number) => Uint8Array.from({ length: n }, (_, k) => k);

describe('CPace string utilities (draft-irtf-cfrg-cpace-21, Appendix A)', () => {
  it('prepend_len: LEB128 length, one byte below 128 and two from 128 (A.1.2)', () => {
    expect(hexOf(prependLen(fromHex(u.prepend_len[0].data)))).toBe(u.prepend_len[0].encoded);
    expect(hexOf(prependLen(fromHex(u.prepend_len[1].data)))).toBe(u.prepend_len[1].encoded);
    const short = prependLen(range(127));
    expect(short.length).toBe(128);
    expect(hexOf(short)).toBe('7f' + hexOf(range(127)));
    const long = prependLen(range(128));
    expect(long.length).toBe(130);
    expect(hexOf(long)).toBe('8001' + hexOf(range(128)));
    expect(hexOf(prependLen(new Uint8Array(300)).subarray(0, 2))).toBe('ac02'); // 300 = 0x2c | 0x80, 2
  });

  it('lv_cat (A.1.4)', () => {
    expect(hexOf(lvCat(...u.lv_cat.items.map(fromHex)))).toBe(u.lv_cat.encoded);
  });

  it('lexicographical order and o_cat (A.3.3)', () => {
    for (const c of u.lexicographically_larger) expect([c.a, c.b, lexicographicallyLarger(fromHex(c.a), fromHex(c.b))]).toEqual([c.a, c.b, c.larger]);
    for (const c of u.o_cat) expect(hexOf(oCat(fromHex(c.a), fromHex(c.b)))).toBe(c.encoded);
  });

  it('transcript_ir and transcript_oc (A.3.5, A.3.7)', () => {
    const msgs = (c: Record<string, string>) => [
      { share: fromHex(c.Ya), ad: fromHex(c.ADa) },
      { share: fromHex(c.Yb), ad: fromHex(c.ADb) },
    ] as const;
    for (const c of u.transcript_ir) expect(hexOf(transcriptIr(...msgs(c)))).toBe(c.encoded);
    for (const c of u.transcript_oc) expect(hexOf(transcriptOc(...msgs(c)))).toBe(c.encoded);
  });
});

describe('CPace ristretto255 / SHA-512 (draft-irtf-cfrg-cpace-21, Appendix B.3)', () => {
  const prs = fromHex(i.PRS);
  const ci = fromHex(i.CI);
  const sid = fromHex(i.sid);

  it('the DSIs are the draft\'s', () => {
    expect(hexOf(DSI)).toBe(i.DSI);
    expect(new TextDecoder().decode(fromHex(i.PRS))).toBe(i.PRS_text);
    expect(hexOf(DSI_ISK)).toBe(v.DSI_ISK);
  });

  it('generator: generator_string (100 zero bytes of padding), its SHA-512 and the encoded g (B.3.1)', () => {
    const genStr = generatorString(DSI, prs, ci, sid);
    expect(hexOf(genStr)).toBe(v.generator_string);
    expect(genStr.subarray(DSI.length + 1 + prs.length + 2, DSI.length + 1 + prs.length + 2 + v.zpad_length).every((b) => b === 0)).toBe(true);
    expect(hexOf(sha512(genStr))).toBe(v.generator_string_hash);
    expect(hexOf(calculateGenerator(prs, ci, sid).toBytes())).toBe(v.g);
  });

  it('shares Ya, Yb from ya, yb, and the same K on both sides (B.3.2 to B.3.4)', () => {
    const g = calculateGenerator(prs, ci, sid);
    const ya = scalar(i.ya);
    const yb = scalar(i.yb);
    expect(hexOf(scalarMult(ya, g))).toBe(v.Ya);
    expect(hexOf(scalarMult(yb, g))).toBe(v.Yb);
    expect(scalarMultVfy(ya, fromHex(v.Yb))).toEqual({ ok: true, value: fromHex(v.K) });
    expect(scalarMultVfy(yb, fromHex(v.Ya))).toEqual({ ok: true, value: fromHex(v.K) });
  });

  it('ISK for initiator-responder (B.3.5) and for the symmetric setting (B.3.6), and sid_output (B.3.7)', () => {
    const a = { share: fromHex(v.Ya), ad: fromHex(i.ADa) };
    const b = { share: fromHex(v.Yb), ad: fromHex(i.ADb) };
    const k = fromHex(v.K);
    const ir = transcriptIr(a, b);
    expect(hexOf(ir)).toBe(v.transcript_ir);
    expect(hexOf(concatBytes(lvCat(DSI_ISK, sid, k), ir))).toBe(v.isk_input_ir);
    expect(hexOf(intermediateSessionKey(sid, k, ir))).toBe(v.ISK_IR);
    const oc = transcriptOc(a, b);
    expect(hexOf(oc)).toBe(v.transcript_oc);
    expect(hexOf(transcriptOc(b, a))).toBe(v.transcript_oc);
    expect(hexOf(intermediateSessionKey(sid, k, oc))).toBe(v.ISK_SY);
    expect(hexOf(sidOutput(ir))).toBe(v.sid_output_ir);
    expect(hexOf(sidOutput(oc))).toBe(v.sid_output_oc);
  });

  it('two CPaceParty objects with the draft\'s scalars reproduce Ya, Yb, ISK_IR and ISK_SY end to end', () => {
    const common = { prs, ci, sid };
    const alice = CPaceParty.start({ ...common, ad: fromHex(i.ADa), role: 'initiator' }, scalar(i.ya));
    const bob = CPaceParty.start({ ...common, ad: fromHex(i.ADb), role: 'responder' }, scalar(i.yb));
    expect(hexOf(alice.message.share)).toBe(v.Ya);
    expect(hexOf(bob.message.share)).toBe(v.Yb);
    expect(alice.finish(bob.message)).toEqual({ ok: true, value: { isk: fromHex(v.ISK_IR) } });
    expect(bob.finish(alice.message)).toEqual({ ok: true, value: { isk: fromHex(v.ISK_IR) } });

    const symA = CPaceParty.start({ ...common, ad: fromHex(i.ADa), role: 'symmetric' }, scalar(i.ya));
    const symB = CPaceParty.start({ ...common, ad: fromHex(i.ADb), role: 'symmetric' }, scalar(i.yb));
    expect(symA.finish(symB.message)).toEqual({ ok: true, value: { isk: fromHex(v.ISK_SY) } });
    expect(symB.finish(symA.message)).toEqual({ ok: true, value: { isk: fromHex(v.ISK_SY) } });
  });

  it('scalar_mult and scalar_mult_vfy with valid inputs (B.3.10)', () => {
    const c = v.scalar_mult_valid;
    expect(hexOf(scalarMult(scalar(c.s), ristretto255.Point.fromBytes(fromHex(c.X))))).toBe(c.result);
    expect(scalarMultVfy(scalar(c.s), fromHex(c.X))).toEqual({ ok: true, value: fromHex(c.result) });
  });

  it('scalar_mult_vfy refuses the invalid inputs: a non-canonical encoding and G.I (B.3.11)', () => {
    const c = v.scalar_mult_vfy_invalid;
    expect(scalarMultVfy(scalar(c.s), fromHex(c.Y_i1))).toEqual({ ok: false, problem: 'not-an-element' });
    expect(hexOf(IDENTITY_ENCODING)).toBe(c.Y_i2);
    expect(scalarMultVfy(scalar(c.s), fromHex(c.Y_i2))).toEqual({ ok: false, problem: 'identity' });

    // In a run: a message carrying either aborts with a typed error, not an exception.
    const bob = CPaceParty.start({ prs, ci, sid, ad: fromHex(i.ADb), role: 'responder' }, scalar(i.yb));
    for (const [bad, problem] of [[c.Y_i1, 'not-an-element'], [c.Y_i2, 'identity']] as const) {
      expect(bob.finish({ share: fromHex(bad), ad: fromHex(i.ADa) })).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE', problem } });
    }
  });

  it('scalarFromBytes takes only 32-byte values in [1, group order)', () => {
    expect(scalarFromBytes(new Uint8Array(32))).toBeUndefined();
    expect(scalarFromBytes(new Uint8Array(31).fill(1))).toBeUndefined();
    expect(scalarFromBytes(new Uint8Array(32).fill(0xff))).toBeUndefined();
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(scalarFromBytes(one)).toBe(1n);
  });
});
