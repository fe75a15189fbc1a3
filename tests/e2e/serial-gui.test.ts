/**
 * The serial panel in a real browser (issue 4's Done-when): the page opens one end of a
 * socat pty pair from the serial panel (the path typed by hand, as ptys are not listed),
 * a responder on the other end ACKs, and "Hello serial" shows with its ACK and round trip.
 * Same test host as gui.test.ts, built into its own folder so the two files can run at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SerialLink } from '../../electron/main/link/serial-link.ts';
import { DEFAULT_LINE_SETTINGS } from '../../electron/main/link/serial-settings.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs, type PtyPair } from '../helpers/socat.ts';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, screenshot, SKIP_WITHOUT_CHROMIUM, useGuiSuite } from './helpers/guiSuite.ts';

const skip = SKIP_WITHOUT_CHROMIUM || socatSkip.skip;
const title = `serial panel in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : socatSkip.reason}`;

describe.skipIf(skip)(title, () => {
  // Its own build folder, so this file and gui.test.ts can build at the same time.
  const suite = useGuiSuite('out/test-host-serial');
  const responders: SerialLink[] = [];

  afterEach(async () => {
    await Promise.all(responders.splice(0).map((r) => r.close()));
    await stopAllPtyPairs();
  });

  const openApp = (colorScheme: 'light' | 'dark' = 'light', locale = 'en-US') => suite.openApp({ colorScheme, locale, height: 900 });

  /** A responder on the pty's other end: ACKs every DATA, like `msp --mode server --serial B`. */
  async function responderOn(path: string): Promise<SerialLink> {
    const link = new SerialLink({ settings: { path, ...DEFAULT_LINE_SETTINGS }, session: { autoAck: true } });
    responders.push(link);
    const opened = await link.open();
    if (!opened.ok) throw new Error(opened.error.message);
    return link;
  }

  async function openSerial(app: AppPage, pair: PtyPair): Promise<void> {
    await app.byTestId('mode').getByRole('radio', { name: /serial|シリアル/i }).click();
    await app.byTestId('serial-path').fill(pair.a);
    await app.byTestId('link-button').click();
    await waitForText(app.status, /open · 9600 8N1/);
  }

  it('opens a typed pty path at 9600 8N1, sends "Hello serial" and shows its ACK with the round trip', async () => {
    const pair = await startPtyPair();
    await responderOn(pair.b);
    const app = await openApp();
    await openSerial(app, pair);
    expect(await app.status.getAttribute('data-state')).toBe('serial');
    expect(await app.byTestId('link-summary').textContent()).toContain(pair.a);

    await app.send('Hello serial');
    const dataOut = app.row('Hello serial');
    await waitForText(dataOut.getByTestId('ack-cell'), /^✓ \d+(\.\d+)? ms$/);
    expect(await dataOut.getAttribute('data-dir')).toBe('out');
    expect(await dataOut.textContent()).toContain(pair.a);
    const ackIn = app.row(/ACK/).filter({ hasText: 'OK' });
    await waitForText(ackIn.getByTestId('ack-cell'), /for #/);
    await waitForText(app.byTestId('rtt'), /[\d.]+ msmin/);

    // Closing gives the port back, and the app says it is idle again.
    await app.byTestId('link-button').click();
    await waitForAttribute(app.status, 'data-state', 'idle');
  });

  it('a port that does not exist: a clear error, and the app keeps running', async () => {
    const app = await openApp();
    await app.byTestId('mode').getByRole('radio', { name: /serial/i }).click();
    await app.byTestId('serial-path').fill('/dev/does-not-exist-msp');
    await app.byTestId('link-button').click();
    await waitForAttribute(app.status, 'data-state', 'error');
    const error = app.byTestId('link-error');
    expect(await error.getAttribute('data-code')).toBe('LINK_ERR_PORT_NOT_FOUND');
    expect(await error.textContent()).toMatch(/Port not found.*\/dev\/does-not-exist-msp/);
  });

  it('unplugging the open port: disconnected with the reason', async () => {
    const pair = await startPtyPair();
    await responderOn(pair.b);
    const app = await openApp();
    await openSerial(app, pair);
    await pair.unplug();
    await waitForAttribute(app.status, 'data-state', 'error');
    expect(await app.byTestId('link-error').getAttribute('data-code')).toBe('LINK_ERR_PORT_DISCONNECTED');
    expect(await app.status.textContent()).toBe('Port disconnected');
  });

  it('screenshots: the serial panel, light, dark and Japanese', async () => {
    for (const [scheme, locale, tag] of [
      ['light', 'en-US', 'light'],
      ['dark', 'en-US', 'dark'],
      ['light', 'ja-JP', 'ja-light'],
    ] as const) {
      const pair = await startPtyPair();
      await responderOn(pair.b);
      const app = await openApp(scheme, locale);
      await app.byTestId('mode').getByRole('radio', { name: /serial|シリアル/i }).click();
      await app.byTestId('serial-preset').selectOption('freedos');
      await app.byTestId('serial-path').fill(pair.a);
      // The listing has finished (ptys are not in it; this machine may have no real ports).
      await app.page.locator('[data-testid=serial-no-ports], [data-testid=serial-port-list]').first().waitFor();
      await screenshot(app.page, `serial-form-${tag}.png`);
      await app.byTestId('link-button').click();
      await waitForAttribute(app.status, 'data-state', 'serial');
      // The state is 'serial' while the port is still opening ("Opening …"); the line's settings show once it is open.
      await waitForText(app.status, /9600 8N1/);
      await app.send('Hello serial');
      await waitForText(app.row('Hello serial').getByTestId('ack-cell'), /^✓/);
      await waitForText(app.byTestId('rtt'), /[\d.]+ ms/);
      expect(await app.byTestId('serial-sending').textContent()).toBe(locale === 'ja-JP' ? '間隔 20 ms · 最大 1024 B' : '20 ms pause · max 1024 B');
      await screenshot(app.page, `serial-open-${tag}.png`);
      await suite.closeWindows();
      await Promise.all(responders.splice(0).map((r) => r.close()));
      await stopAllPtyPairs();
    }
  }, 90_000);
});
