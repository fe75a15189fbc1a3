/**
 * Every unsafe name a sender can offer, and what the receiver does with it (README, "File
 * transfer: receiving safely"): refused, or sanitised into a name that is one plain file on
 * every OS. One table, one row per case; the receive-folder test writes them for real.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numberedName, safeFileName } from '../../shared/file-transfer/safe-name.ts';

/** [offered name, expected: a string = the name saved; null = refused] */
export const UNSAFE_NAMES: Array<[string, string | null, string]> = [
  ['report.pdf', 'report.pdf', 'a plain name is kept'],
  ['日本語 ファイル.txt', '日本語 ファイル.txt', 'non-ASCII and spaces are kept'],
  ['', null, 'empty'],
  ['.', null, 'the folder itself'],
  ['..', null, 'the parent folder'],
  ['../etc/passwd', null, 'a relative path up'],
  ['..\\..\\windows\\win.ini', null, 'a Windows path up'],
  ['sub/file.txt', null, 'a path into a subfolder'],
  ['/etc/passwd', null, 'an absolute path'],
  ['\\\\server\\share\\x', null, 'a UNC path'],
  ['C:\\Windows\\x.dll', null, 'a drive letter and path'],
  ['C:x.txt', null, 'a drive-relative name'],
  ['file.txt:hidden', null, 'an NTFS alternate data stream'],
  ['a\u0000b', null, 'NUL inside'],
  ['line\nbreak.txt', null, 'a newline (forges log lines)'],
  ['esc\u001b[31m.txt', null, 'a terminal escape'],
  ['del\u007f.txt', null, 'DEL'],
  ['c1\u0085.txt', null, 'a C1 control'],
  ['CON', '_CON', 'a Windows device'],
  ['nul.txt', '_nul.txt', 'a device with an extension'],
  ['NUL .txt', '_NUL .txt', 'a device, spaces before the dot'],
  ['com1.tar.gz', '_com1.tar.gz', 'COM1 with two extensions'],
  ['LPT9', '_LPT9', 'LPT9'],
  ['COM¹.txt', '_COM¹.txt', 'COM with a superscript digit'],
  ['CONIN$', '_CONIN$', 'the console input device'],
  ['console.txt', 'console.txt', 'a longer name that starts like a device is fine'],
  ['trailing.', 'trailing', 'a trailing dot (Windows drops it)'],
  ['trailing. . ', 'trailing', 'trailing dots and spaces'],
  ['...', null, 'only dots'],
  ['   ', null, 'only spaces'],
  ['a<b>c"d|e?f*g.txt', 'a_b_c_d_e_f_g.txt', 'characters Windows forbids'],
  ['invoice\u202Efdp.exe', 'invoice_fdp.exe', 'a right-to-left override (hides .exe)'],
  ['x'.repeat(256), null, 'over 255 bytes'],
  ['あ'.repeat(86), null, 'over 255 bytes of UTF-8 (258)'],
  ['.bashrc', '.bashrc', 'a leading dot is kept: it only lands in the chosen folder'],
];

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
