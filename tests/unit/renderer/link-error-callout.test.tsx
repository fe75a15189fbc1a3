import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LinkErrorCallout } from '../../../renderer/src/features/connection/LinkErrorCallout.tsx';
import { translate, type Language, type Translate } from '../../../renderer/src/i18n/translate.ts';

const refused = { code: 'LINK_ERR_REFUSED', message: 'Connection refused by 127.0.0.1:9009: nothing is listening there.' };
const tFor = (language: Language): Translate => (key, params) => translate(language, key, params);

describe('the connection error callout', () => {
  it('shows a refused connection wholly in Japanese in ja', () => {
    const html = renderToStaticMarkup(<LinkErrorCallout error={refused} t={tFor('ja')} />);
    expect(html).toContain('接続が拒否されました</div>');
    expect(html).toContain('<p class="callout-detail">接続が拒否されました。接続先で何も待ち受けていません。</p>');
    expect(html).not.toContain(refused.message);
  });

  it('shows main\'s original sentence as the detail in en', () => {
    const html = renderToStaticMarkup(<LinkErrorCallout error={refused} t={tFor('en')} />);
    expect(html).toContain('Connection refused</div>');
    expect(html).toContain(`<p class="callout-detail">${refused.message}</p>`);
  });
});
