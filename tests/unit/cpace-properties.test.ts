/**
 * CPace's promises, checked on random inputs: the same password, channel and session give both
 * parties the same ISK; anything different gives different keys; a hostile share is refused
 * with a typed error and never makes finish() throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CPaceParty, ELEMENT_SIZE, IDENTITY_ENCODING, type CPaceInputs, type CPaceResult, type CPaceRole } from '../../electron/main/link/crypto/cpace/index.ts';

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const RUNS = { numRuns: 40 };

interface RunInputs {
  prs: Uint8Array;
  ci: Uint8Array;
  sid: Uint8Array;
  adA: Uint8Array;
  adB: Uint8Array;
}
const runInputs = fc.record({ prs: bytes(200), ci: bytes(64), sid: bytes(32), adA: bytes(40), adB: bytes(40) });

const iskOf = (result: CPaceResult): string => {
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return Buffer.from(result.value.isk).toString('hex');
};

/** A full run between A and B; `forB` changes what B holds (a wrong password, another sid...). */
function run(x: RunInputs, mode: 'ir' | 'symmetric', forB: Partial<CPaceInputs> = {}): { a: string; b: string } {
  const [roleA, roleB]: CPaceRole[] = mode === 'ir' ? ['initiator', 'responder'] : ['symmetric', 'symmetric'];
  const a = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adA, role: roleA });
  const b = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adB, role: roleB, ...forB });
  return { a: iskOf(a.finish(b.message)), b: iskOf(b.finish(a.message)) };
}

/** Another byte string than `original` (same length when possible, so only the content differs). */
const differentFrom = (original: Uint8Array, flip: number): Uint8Array => {
  if (original.length === 0) return Uint8Array.of(flip & 0xff);
  const changed = Uint8Array.from(original);
  changed[flip % changed.length] ^= 1 + (flip % 255);
  return changed;
};

describe('CPace: agreement and separation (random inputs)', () => {
  it('same PRS, CI and sid: both parties get the same 64-byte ISK, initiator-responder and symmetric', () => {
    fc.assert(
      fc.property(runInputs, (x) => {
        for (const mode of ['ir', 'symmetric'] as const) {
          const { a, b } = run(x, mode);
          expect(a).toBe(b);
          expect(a).toHaveLength(128);
        }
      }),
      RUNS,
    );
  });

  it('a different password, sid or CI on one side gives different ISKs (and no error: the mismatch is implicit)', () => {
    fc.assert(
      fc.property(runInputs, fc.nat(), fc.constantFrom('prs', 'sid', 'ci'), (x, flip, field) => {
        const { a, b } = run(x, 'ir', { [field]: differentFrom(x[field], flip) });
        expect(a).not.toBe(b);
      }),
      RUNS,
    );
  });

  it('two runs with the same inputs give different shares and different ISKs (fresh scalars)', () => {
    fc.assert(
      fc.property(runInputs, (x) => {
        const first = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adA, role: 'initiator' });
        const second = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adA, role: 'initiator' });
        expect(Buffer.from(first.message.share).equals(second.message.share)).toBe(false);
        expect(run(x, 'ir').a).not.toBe(run(x, 'ir').a);
      }),
      { numRuns: 10 },
    );
  });

  it('an altered AD (sent in clear) gives different ISKs', () => {
    fc.assert(
      fc.property(runInputs, fc.nat(), (x, flip) => {
        const a = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adA, role: 'initiator' });
        const b = CPaceParty.start({ prs: x.prs, ci: x.ci, sid: x.sid, ad: x.adB, role: 'responder' });
        const altered = { share: a.message.share, ad: differentFrom(x.adA, flip) };
        expect(iskOf(b.finish(altered))).not.toBe(iskOf(a.finish(b.message)));
      }),
      RUNS,
    );
  });
});

describe('CPace: hostile shares are refused with a typed error, never a throw', () => {
  const victim = CPaceParty.start({ prs: new TextEncoder().encode('Password'), ci: new Uint8Array(0), sid: new Uint8Array(16), ad: new Uint8Array(0), role: 'responder' });
  const honest = CPaceParty.start({ prs: new TextEncoder().encode('Password'), ci: new Uint8Array(0), sid: new Uint8Array(16), ad: new Uint8Array(0), role: 'initiator' });
  const honestIsk = iskOf(victim.finish(honest.message));
  const refusal = (share: Uint8Array) => victim.finish({ share, ad: new Uint8Array(0) });

  it('the identity element (G.I) is refused', () => {
    expect(refusal(IDENTITY_ENCODING)).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE', problem: 'identity' } });
  });

  it('non-canonical encodings of a valid share are refused: s + 1 (odd, "negative") and bit 255 set', () => {
    fc.assert(
      fc.property(fc.constantFrom('low-bit', 'high-bit'), (how) => {
        const share = CPaceParty.start({ prs: new Uint8Array(8), ci: new Uint8Array(0), sid: new Uint8Array(0), ad: new Uint8Array(0), role: 'initiator' }).message.share;
        const tampered = Uint8Array.from(share);
        if (how === 'low-bit') tampered[0] ^= 1;
        else tampered[31] |= 0x80;
        expect(refusal(tampered)).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE', problem: 'not-an-element' } });
      }),
      { numRuns: 20 },
    );
  });

  it('shares of any other length are refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }).filter((b) => b.length !== ELEMENT_SIZE), (share) => {
        expect(refusal(share)).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_HANDSHAKE', problem: 'wrong-length' } });
      }),
      { numRuns: 200 },
    );
  });

  it('random 32-byte strings: refused as not an element, or (when they happen to decode) an unrelated ISK', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (share) => {
        const result = refusal(share);
        if (result.ok) {
          expect(Buffer.from(result.value.isk).toString('hex')).not.toBe(honestIsk);
        } else {
          refused++;
          expect(result.error).toMatchObject({ code: 'CRYPTO_ERR_HANDSHAKE', problem: 'not-an-element' });
          expect(result.error.message).toMatch(/share is not a valid ristretto255 element/);
        }
      }),
      { numRuns: 300 },
    );
    // Most 32-byte strings are not canonical encodings (about 7 in 8 are refused).
    expect(refused).toBeGreaterThan(150);
  });
});
