/** get-file / put-file results: main sends data, the window words it in English or Japanese. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RemoteFileResult } from '../../../renderer/src/features/remote/RemoteFileResult.tsx';
import { translate, type Language, type Translate } from '../../../renderer/src/i18n/translate.ts';

const tFor = (language: Language): Translate => (key, params) => translate(language, key, params);
const exit = { exitCode: 0, signalled: false, truncated: false, timedOut: false, cancelled: false, bytes: 0, durationMs: 5 };
const sha256 = 'ab'.repeat(32);
const got = { runId: 1, exit, file: { direction: 'get' as const, name: 'report.txt', size: 72000, sha256, folder: '/home/u/Downloads' } };
const put = { runId: 2, exit, file: { direction: 'put' as const, name: 'notes.txt', size: 12, sha256 } };
const failed = { runId: 3, exit: { ...exit, exitCode: 1 }, fileError: { code: 'FT_ERR_HASH_MISMATCH', message: 'The SHA-256 of report.txt does not match: deleted.' } };

describe('the Remote tool\'s file result', () => {
  it('in English', () => {
    const t = tFor('en');
    expect(renderToStaticMarkup(<RemoteFileResult end={got} t={t} />)).toContain(`Saved in /home/u/Downloads as report.txt: 72000 bytes, SHA-256 ${sha256} verified on both ends.`);
    expect(renderToStaticMarkup(<RemoteFileResult end={put} t={t} />)).toContain(`Saved on the server as notes.txt: 12 bytes, SHA-256 ${sha256} verified on both ends.`);
    expect(renderToStaticMarkup(<RemoteFileResult end={failed} t={t} />)).toContain('The file did not move: The SHA-256 of report.txt does not match: deleted.');
  });

  it('in Japanese, main\'s English sentence nowhere', () => {
    const t = tFor('ja');
    expect(renderToStaticMarkup(<RemoteFileResult end={got} t={t} />)).toContain(`/home/u/Downloads に report.txt として保存しました（72000 バイト）。SHA-256 ${sha256} を両端で確認済みです。`);
    expect(renderToStaticMarkup(<RemoteFileResult end={put} t={t} />)).toContain('サーバーに notes.txt として保存しました');
    const html = renderToStaticMarkup(<RemoteFileResult end={failed} t={t} />);
    expect(html).toContain('ファイルは届きませんでした：受信したファイルの SHA-256 が一致しなかったため');
    expect(html).not.toContain(failed.fileError.message);
  });

  it('a run that moved no file (any other command) shows nothing', () => {
    expect(renderToStaticMarkup(<RemoteFileResult end={{ runId: 4, exit }} t={tFor('en')} />)).toBe('');
  });
});
