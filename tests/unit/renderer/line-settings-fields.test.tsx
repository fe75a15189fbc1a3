/**
 * The one line-settings form (baud, data bits, parity, stop bits, flow control) that the
 * connection's serial form and the X/Y/ZMODEM tool share: each control inside its label in
 * English and Japanese, test ids per form, what the platform cannot set greyed out and why,
 * the custom rate, and both panels showing it.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { SerialOptions } from '../../../shared/ipc/serial.ts';
import type { LineDraft } from '../../../renderer/src/store/lineDraft.ts';
import { fakeMain } from '../../helpers/fakeApi.ts';

// The renderer's store reads window.msp when it is first imported. A server render sees the
// store's first state (language: follow the system), so the language is the stubbed OS's.
vi.stubGlobal('window', { msp: fakeMain().api });
vi.stubGlobal('navigator', { language: 'en-US', languages: ['en-US'] });
vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, 0));
const { LineSettingsFields } = await import('../../../renderer/src/features/serial/LineSettingsFields.tsx');
const { SerialSettings } = await import('../../../renderer/src/features/serial/SerialSettings.tsx');
const { ModemPanel } = await import('../../../renderer/src/features/modem/ModemPanel.tsx');

const line: LineDraft = { baudText: '115200', baudCustom: false, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };
const options: SerialOptions = { platformName: 'Windows', parities: ['none', 'even', 'odd'], stopBits: [1, 2], standardBaudRates: [9600, 115200], presets: [] };
const render = (props: Partial<Parameters<typeof LineSettingsFields>[0]> = {}) =>
  renderToStaticMarkup(<LineSettingsFields line={line} onChange={() => {}} options={options} testIdPrefix="modem" {...props} />);

/** The text of the label that wraps the control with this test id (a label names its control for a screen reader). */
function labelOf(html: string, testId: string): string | undefined {
  for (const match of html.matchAll(/<label class="field[^"]*"><span class="field-label">([^<]*)<\/span><(select|input)([^>]*)>/g)) {
    if (match[3]!.includes(`data-testid="${testId}"`)) return match[1];
  }
  return undefined;
}

describe('the shared line settings', () => {
  it('labels every control, with test ids from the form\'s prefix', () => {
    const html = render();
    expect(labelOf(html, 'modem-baud')).toBe('Baud rate');
    expect(labelOf(html, 'modem-data-bits')).toBe('Data bits');
    expect(labelOf(html, 'modem-parity')).toBe('Parity');
    expect(labelOf(html, 'modem-stop-bits')).toBe('Stop bits');
    expect(labelOf(html, 'modem-flow')).toBe('Flow control');
    expect(html).not.toContain('modem-baud-custom');
    expect(labelOf(render({ testIdPrefix: 'serial' }), 'serial-flow')).toBe('Flow control');
  });

  it('offers the standard rates and Custom…; a custom rate is typed in its own labelled field', () => {
    expect(render()).toMatch(/<option value="9600">9600<\/option><option value="115200" selected="">115200<\/option><option value="custom">Custom…<\/option>/);
    const custom = render({ line: { ...line, baudText: '31250', baudCustom: true } });
    expect(custom).toContain('<option value="custom" selected="">Custom…</option>');
    expect(labelOf(custom, 'modem-baud-custom')).toBe('Custom rate');
    expect(custom).toContain('value="31250"');
  });

  it('greys out what the platform cannot set and says why; nothing before main has said', () => {
    const html = render();
    expect(html).toContain('<option value="mark" disabled="" title="Not supported on Windows">Mark (Not supported on Windows)</option>');
    expect(html).toContain('<option value="1.5" disabled="" title="Not supported on Windows">1.5 (Not supported on Windows)</option>');
    expect(render({ options: null })).not.toContain('disabled');
  });

  it('speaks Japanese', () => {
    vi.stubGlobal('navigator', { language: 'ja-JP', languages: ['ja-JP'] });
    try {
      const html = render();
      expect(labelOf(html, 'modem-baud')).toBe('ボーレート');
      expect(labelOf(html, 'modem-stop-bits')).toBe('ストップ ビット');
      expect(labelOf(html, 'modem-flow')).toBe('フロー制御');
      expect(html).toContain('1.5 (Windows では使えません)');
    } finally {
      vi.stubGlobal('navigator', { language: 'en-US', languages: ['en-US'] });
    }
  });

  it('is the form in both the serial connection form and the X/Y/ZMODEM tool', () => {
    const serial = renderToStaticMarkup(<SerialSettings />);
    for (const id of ['serial-baud', 'serial-data-bits', 'serial-parity', 'serial-stop-bits', 'serial-flow', 'serial-packet-gap', 'serial-max-packet']) {
      expect(serial).toContain(`data-testid="${id}"`);
    }
    const modem = renderToStaticMarkup(<ModemPanel />);
    for (const id of ['modem-baud', 'modem-data-bits', 'modem-parity', 'modem-stop-bits', 'modem-flow']) expect(modem).toContain(`data-testid="${id}"`);
  });
});
