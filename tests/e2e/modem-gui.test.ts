/**
 * The X/Y/ZMODEM tool in a real browser: a file dropped on the panel is sent with ZMODEM over
 * a socat pty pair to Debian's `rz`, the progress row completes, and the file arrives with the
 * same SHA-256. Also: the MSP link's own port is refused with a clear error. Screenshots in
 * light, dark and Japanese (tests/e2e/screenshots/modem-*.png).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lrzszSkip, runLrzsz } from '../helpers/lrzsz.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';
import { AppPage, progressBar, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, screenshot, SKIP_WITHOUT_CHROMIUM, useGuiSuite } from './helpers/guiSuite.ts';

const skip = SKIP_WITHOUT_CHROMIUM || socatSkip.skip || lrzszSkip.skip;
const title = `X/Y/ZMODEM tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}${socatSkip.reason}${lrzszSkip.reason}`;

describe.skipIf(skip)(title, () => {
  const suite = useGuiSuite('out/test-host-modem');
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'msp-gui-modem-'));
  });
  afterEach(async () => {
    await stopAllPtyPairs();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Drops a file of `size` pseudo-random bytes named `name` on the panel's drop zone, as a user would; returns its SHA-256. */
  async function dropFile(app: AppPage, name: string, size: number): Promise<string> {
    return app.page.evaluate(
      async ({ name, size }) => {
        const bytes = new Uint8Array(size);
        let x = 4242;
        for (let i = 0; i < size; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          bytes[i] = x >>> 24;
        }
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        const zone = document.querySelector('[data-testid="modem-drop-zone"]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        const hash = await crypto.subtle.digest('SHA-256', bytes);
        return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
      },
      { name, size },
    );
  }

  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it.each([
    ['light', 'en-US', 'light'],
    ['dark', 'en-US', 'dark'],
    ['light', 'ja-JP', 'ja-light'],
  ] as const)('%s %s: a dropped file goes with ZMODEM to rz over a pty pair, progress completes, SHA-256 equal', async (scheme, locale, tag) => {
    const pair = await startPtyPair();
    const app = await suite.openApp({ colorScheme: scheme, locale, height: 900 });
    await app.byTestId('tool-modem').click();
    await app.byTestId('modem-path').fill(pair.a);
    expect(await app.byTestId('modem-protocol').inputValue()).toBe('zmodem');
    const name = `firmware-${tag}.bin`;
    const digest = await dropFile(app, name, 400_000);
    await waitForText(app.byTestId('modem-chosen'), new RegExp(name));
    const rz = runLrzsz('rz', [], pair.b, folder);
    await app.byTestId('modem-start').click();

    const row = app.byTestId('modem-file').filter({ hasText: name });
    await waitForAttribute(row, 'data-state', 'done', 30_000);
    await waitForAttribute(app.byTestId('modem-run-state'), 'data-state', 'done');
    expect(await row.getByTestId('modem-file-progress').textContent()).toMatch(/^400(\.0)? kB .* 400(\.0)? kB · 100%$|100%$/);
    // Under "100%", the bar is full at once (not still gliding from the last update).
    const bar = await progressBar(row);
    expect(bar).toMatchObject({ moving: 0, glides: false });
    expect(bar.filled).toBeCloseTo(1, 2);
    expect((await rz.done).code).toBe(0);
    expect(readdirSync(folder)).toEqual([name]);
    expect(sha(join(folder, name))).toBe(digest);
    await screenshot(app.page, `modem-${tag}.png`);
  }, 90_000);

  it('refuses the port the window\'s MSP link has open, with a clear error', async () => {
    const pair = await startPtyPair();
    const app = await suite.openApp({ height: 900 });
    // Open the MSP link on A (the connection tool's serial mode).
    await app.byTestId('mode').getByRole('radio', { name: /serial/i }).click();
    await app.byTestId('serial-path').fill(pair.a);
    await app.byTestId('link-button').click();
    await waitForAttribute(app.status, 'data-state', 'serial');
    await app.byTestId('tool-modem').click();
    await app.byTestId('modem-path').fill(pair.a);
    await waitForText(app.byTestId('modem-msp-port'), /is open for the MSP link/);
    await app.byTestId('modem-direction').getByRole('radio').nth(1).click();
    await app.byTestId('modem-folder').fill(folder);
    await app.byTestId('modem-start').click();
    await waitForText(app.byTestId('modem-error'), /is open for this window's MSP link, and both would read its bytes/);
    expect(readdirSync(folder)).toEqual([]);
    await screenshot(app.page, 'modem-port-in-use-light.png');
  }, 60_000);
});
