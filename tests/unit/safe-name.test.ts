/**
 * Every unsafe name a sender can offer, and what the receiver does with it (README, "File
 * transfer: receiving safely"): refused, or sanitised into a name that is one plain file on
 * every OS. One table, one row per case; the receive-folder test writes them for real.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numberedName, safeFileName } from '../../shared/safe-name.ts';
import { UNSAFE_NAMES } from '../helpers/unsafe-names.ts';


describe('safeFileName', () => {
  it.each(UNSAFE_NAMES)('%j → %j (%s)', (offered, expected) => {
    const result = safeFileName(offered);
    if (expected === null) {
      expect(result.ok).toBe(false);
    } else {
      expect(result).toMatchObject({ ok: true, name: expected, sanitised: expected !== offered });
    }
  });

  it('whatever it is given, an accepted name has no separator, colon, control character or trailing dot or space, and is not a device', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const result = safeFileName(name);
        if (!result.ok) return;
        expect(result.name).not.toMatch(/[/\\:\u0000-\u001f\u007f-\u009f<>"|?*]/);
        expect(result.name).not.toMatch(/[. ]$/);
        expect(result.name).not.toBe('..');
        expect(/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])( *)(\.|$)/i.test(result.name)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('numbers a name that exists before its extensions', () => {
    expect(numberedName('report.pdf', 1)).toBe('report (1).pdf');
    expect(numberedName('archive.tar.gz', 2)).toBe('archive (2).tar.gz');
    expect(numberedName('README', 3)).toBe('README (3)');
    expect(numberedName('.bashrc', 1)).toBe('.bashrc (1)');
  });
});
