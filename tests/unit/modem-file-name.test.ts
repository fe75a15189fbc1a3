/** Names a peer offers (YMODEM block 0, ZMODEM ZFILE): what is kept, what is changed, what is refused. */
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../shared/modem/file-name.ts';

describe('safeFileName', () => {
  const cases: [offered: string, saved: string | null, changes: string[]][] = [
    ['report.txt', 'report.txt', []],
    ['日本語 ファイル.bin', '日本語 ファイル.bin', []],
    ['../../etc/passwd', 'passwd', ['directories-removed']],
    ['/etc/shadow', 'shadow', ['directories-removed']],
    ['C:\\Windows\\win.ini', 'win.ini', ['directories-removed']],
    ['C:autoexec.bat', 'autoexec.bat', ['drive-removed']],
    ['..', null, []],
    ['.', null, []],
    ['a/b/..', null, []],
    ['', null, []],
    ['CON', '_CON', ['reserved-name']],
    ['nul.txt', '_nul.txt', ['reserved-name']],
    ['com1', '_com1', ['reserved-name']],
    ['LPT9.log', '_LPT9.log', ['reserved-name']],
    ['console.txt', 'console.txt', []],
    ['bell\u0007.txt', 'bell_.txt', ['characters-replaced']],
    ['new\nline', 'new_line', ['characters-replaced']],
    ['what?.txt', 'what_.txt', ['characters-replaced']],
    ['evil\u202etxt.exe', 'evil_txt.exe', ['characters-replaced']],
    ['trailing. ', 'trailing', ['trimmed']],
    ['.hidden', 'hidden', ['trimmed']],
  ];
  for (const [offered, saved, changes] of cases) {
    it(`${JSON.stringify(offered)} -> ${saved === null ? 'refused' : JSON.stringify(saved)}`, () => {
      const result = safeFileName(offered);
      if (saved === null) {
        expect(result.ok).toBe(false);
        return;
      }
      expect(result).toEqual({ ok: true, name: saved, changes });
    });
  }

  it('shortens a very long name to 200 bytes of UTF-8, keeping the extension', () => {
    const result = safeFileName(`${'あ'.repeat(300)}.txt`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new TextEncoder().encode(result.name).length).toBeLessThanOrEqual(200);
    expect(result.name.endsWith('.txt')).toBe(true);
    expect(result.changes).toEqual(['shortened']);
  });
});
