/**
 * Names a peer offers over YMODEM (block 0) or ZMODEM (ZFILE): what is kept, what is changed,
 * what is refused. X/Y/ZMODEM uses the same rule as MSP file transfer (shared/safe-name.ts, the
 * stricter of the two it once had): a path is refused (ZMODEM: ZSKIP, the batch goes on), never
 * cut down to its last part.
 */
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../shared/safe-name.ts';

describe('safeFileName, as the X/Y/ZMODEM receivers see it', () => {
  const cases: [offered: string, saved: string | null, changes: string[]][] = [
    ['report.txt', 'report.txt', []],
    ['日本語 ファイル.bin', '日本語 ファイル.bin', []],
    ['../../etc/passwd', null, []],
    ['/etc/shadow', null, []],
    ['C:\\Windows\\win.ini', null, []],
    ['C:autoexec.bat', null, []],
    ['..', null, []],
    ['.', null, []],
    ['a/b/..', null, []],
    ['', null, []],
    ['CON', '_CON', ['reserved-name']],
    ['nul.txt', '_nul.txt', ['reserved-name']],
    ['com1', '_com1', ['reserved-name']],
    ['LPT9.log', '_LPT9.log', ['reserved-name']],
    ['console.txt', 'console.txt', []],
    ['bell\u0007.txt', null, []],
    ['new\nline', null, []],
    ['what?.txt', 'what_.txt', ['characters-replaced']],
    ['evil\u202etxt.exe', 'evil_txt.exe', ['characters-replaced']],
    ['trailing. ', 'trailing', ['trimmed']],
    ['.hidden', '.hidden', []],
    ['what?. ', 'what_', ['characters-replaced', 'trimmed']],
  ];
  for (const [offered, saved, changes] of cases) {
    it(`${JSON.stringify(offered)} -> ${saved === null ? 'refused' : JSON.stringify(saved)}`, () => {
      const result = safeFileName(offered);
      if (saved === null) {
        expect(result.ok).toBe(false);
        return;
      }
      expect(result).toEqual({ ok: true, name: saved, sanitised: saved !== offered, changes });
    });
  }

  it('keeps a name of up to 255 bytes of UTF-8 and refuses a longer one (never shortens it into another name)', () => {
    expect(safeFileName(`${'あ'.repeat(83)}.txt`)).toMatchObject({ ok: true }); // 253 bytes
    expect(safeFileName(`${'あ'.repeat(84)}.txt`)).toMatchObject({ ok: false }); // 256 bytes
  });
});
