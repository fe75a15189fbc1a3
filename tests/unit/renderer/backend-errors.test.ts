import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en.ts';
import { ja } from '../../../renderer/src/i18n/ja.ts';
import { errorText, translate, type MessageKey } from '../../../renderer/src/i18n/translate.ts';

/** The codes as their unions spell them in the source, so the check does not trust our own list. */
function codesIn(path: string): string[] {
  const source = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  return [...source.matchAll(/\|\s*'((?:LINK|CRYPTO|MSP|MODEM)_ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]);
}

const CODES = [
  ...codesIn('shared/errors/link.ts'),
  ...codesIn('shared/errors/crypto.ts'),
  ...codesIn('shared/errors/msp.ts'),
  ...codesIn('shared/errors/modem.ts'),
];

describe('errors from main in the UI language', () => {
  it('finds the code unions', () => {
    expect(CODES).toContain('LINK_ERR_REFUSED');
    expect(CODES).toContain('CRYPTO_ERR_WRONG_PASSWORD');
    expect(CODES).toContain('MSP_ERR_BAD_CRC');
    expect(CODES).toContain('MODEM_ERR_PORT_IN_USE');
  });

  it('every LINK_ERR_*, CRYPTO_ERR_*, MSP_ERR_* and MODEM_ERR_* code has a Japanese sentence, and English keeps main\'s', () => {
    for (const code of CODES) {
      const key = `backend.${code}`;
      expect(Object.hasOwn(ja, key), key).toBe(true);
      expect(ja[key as MessageKey], key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(en[key as MessageKey], key).toBe('{message}');
    }
  });

  it('words a link error in Japanese in ja, and leaves main\'s sentence in en', () => {
    const error = { code: 'LINK_ERR_RESET', message: 'Connection reset by 127.0.0.1:9009.' };
    expect(errorText((key, params) => translate('ja', key, params), error)).toBe('相手が接続をリセットしました。');
    expect(errorText((key, params) => translate('en', key, params), error)).toBe('Connection reset by 127.0.0.1:9009.');
  });

  it('keeps main\'s sentence for a code it does not know, in either language', () => {
    const error = { code: 'LINK_ERR_SOMETHING_NEW', message: 'Something new.' };
    expect(errorText((key, params) => translate('ja', key, params), error)).toBe('Something new.');
  });
});
