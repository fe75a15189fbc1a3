import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StagingRing } from '../../electron/main/link/services/file-transfer/staging-ring.ts';

describe('a file receiver\'s staging ring', () => {
  it('keeps copies: the lender may reuse its buffer at once', () => {
    const ring = new StagingRing(100);
    const lent = Uint8Array.of(1, 2, 3);
    const kept = ring.put(lent)!;
    lent.fill(9);
    expect([...kept]).toEqual([1, 2, 3]);
  });

  it('never hands out overlapping regions, and every region keeps its bytes until released (random puts and releases)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 400 }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 60 }).map((n) => ({ put: n })), fc.integer({ min: 1, max: 4 }).map((n) => ({ release: n }))), { maxLength: 300 }),
        (capacity, steps) => {
          const ring = new StagingRing(capacity);
          const held: Array<{ view: Uint8Array; fill: number }> = [];
          let fill = 0;
          for (const step of steps) {
            if ('put' in step) {
              const heldBytes = held.reduce((sum, h) => sum + h.view.length, 0);
              const view = ring.put(new Uint8Array(step.put).fill(++fill & 0xff));
              // Room is found whenever the held bytes leave this chunk and the largest one (a wrap's gap) free:
              // the receiver's ring is its window plus a packet.
              if (heldBytes + step.put + 60 <= capacity) expect(view).toBeDefined();
              if (view) held.push({ view, fill: fill & 0xff });
            } else {
              const n = Math.min(step.release, held.length);
              ring.release(n);
              held.splice(0, n);
            }
            for (const h of held) expect(h.view.every((b) => b === h.fill)).toBe(true);
            expect(ring.count).toBe(held.length);
          }
        },
      ),
    );
  });

  it('a ring as big as the file never wraps or refuses, whatever the release pattern', () => {
    const ring = new StagingRing(10 * 1000);
    let taken = 0;
    for (let k = 0; k < 10; k++) {
      expect(ring.put(new Uint8Array(1000).fill(k))).toBeDefined();
      taken++;
      if (k % 3 === 2) ring.release(1);
    }
    expect(taken).toBe(10);
  });
});
