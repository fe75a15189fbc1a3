import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en.ts';
import { ja } from '../../../renderer/src/i18n/ja.ts';
import { errorText, resolveLanguage, translate } from '../../../renderer/src/i18n/translate.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('English and Japanese UI text', () => {
  it('follows the OS language unless one is chosen', () => {
    expect(resolveLanguage('system', ['ja-JP', 'en-US'])).toBe('ja');
    expect(resolveLanguage('system', ['ja'])).toBe('ja');
    expect(resolveLanguage('system', ['en-GB', 'ja'])).toBe('en');
    expect(resolveLanguage('system', ['de-DE'])).toBe('en');
    expect(resolveLanguage('system', [])).toBe('en');
    expect(resolveLanguage('en', ['ja-JP'])).toBe('en');
    expect(resolveLanguage('ja', ['en-US'])).toBe('ja');
  });

  it('every Japanese text exists, is translated, and has the same placeholders as the English one', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(ja[key], key).toBeTruthy();
      // backend.*: English is main's own {message}; Japanese is a whole sentence of ours.
      if (key.startsWith('backend.')) continue;
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
    // Technical tokens (DATA, ACK, CRC, #, X/Y/ZMODEM with its break hint) stay as they are; anything else in English would be a miss.
    const untranslated = (Object.keys(en) as Array<keyof typeof en>).filter(
      (key) => ja[key] === en[key] && !/^[A-Z0-9#\s\u200b/≠.·:()_-]*$|^MSP Workbench$|^Base64$|^p99$/.test(en[key].replace(/\{\w+\}/g, '')),
    );
    expect(untranslated).toEqual([]);
  });

  it('fills in values', () => {
    expect(translate('en', 'status.connected', { where: '127.0.0.1:9009' })).toBe('Connected to 127.0.0.1:9009');
    expect(translate('ja', 'status.clients.n', { n: 3 })).toBe('クライアント 3 台');
  });

  it('errors: our sentence for codes we know, main\'s own message otherwise', () => {
    const t = (key: Parameters<typeof translate>[1]) => translate('ja', key);
    expect(errorText(t, { code: 'APP_ERR_NO_CLIENTS', message: 'No client is connected to send to.' })).toBe('送信先のクライアントが接続していません。');
    expect(errorText(t, { code: 'SOMETHING_NEW', message: 'A new failure.' })).toBe('A new failure.');
  });
});
