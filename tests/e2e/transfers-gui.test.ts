/**
 * The Transfers tool in a real browser (issue 12's Done-when): a file dropped on the client
 * window is offered to the server window, accepted there, and arrives verified in the folder
 * the server chose; both lists show it. Screenshots in light, dark and Japanese.
 * Same test host as gui.test.ts, built into its own folder so the files can run at once.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppPage, progressBar, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, screenshot, SKIP_WITHOUT_CHROMIUM, useGuiSuite } from './helpers/guiSuite.ts';

const title = `Transfers tool in Chromium${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite('out/test-host-transfers');
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'msp-gui-rx-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  async function pair(colorScheme: 'light' | 'dark', locale: string): Promise<{ server: AppPage; client: AppPage }> {
    const server = await suite.openApp({ colorScheme, locale, height: 900 });
    const port = await server.startServer();
    const client = await suite.openApp({ colorScheme, locale, height: 900 });
    await client.connect(port);
    await waitForAttribute(client.status, 'data-state', 'connected');
    for (const app of [server, client]) await app.byTestId('tool-transfers').click();
    // The server chooses where files go (the test host's backend would use ~/Downloads).
    await server.byTestId('receive-folder').fill(folder);
    await server.byTestId('receive-folder').blur();
    return { server, client };
  }

  /** Drops a file of `size` pseudo-random bytes named `name` on the client's drop zone, as a user would. */
  async function dropFile(app: AppPage, name: string, size: number): Promise<string> {
    const digest = await app.page.evaluate(
      async ({ name, size }) => {
        const bytes = new Uint8Array(size);
        let x = 12345;
        for (let i = 0; i < size; i++) {
          x = (x * 1103515245 + 12345) >>> 0;
          bytes[i] = x >>> 24;
        }
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        const zone = document.querySelector('[data-testid="drop-zone"]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        const hash = await crypto.subtle.digest('SHA-256', bytes);
        return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
      },
      { name, size },
    );
    return digest;
  }

  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('a file dropped on the client is offered to the server, accepted there, and arrives verified in its folder', async () => {
    const { server, client } = await pair('light', 'en-US');
    const digest = await dropFile(client, 'dropped.bin', 3_000_000);
    const offer = server.byTestId('offer');
    await waitForText(offer, /offers dropped\.bin \(3(\.0)? MB\)/);
    expect(await server.byTestId('offer-folder').inputValue()).toBe(folder);
    await client.byTestId('transfer-row').first().waitFor();
    await waitForAttribute(client.byTestId('transfer-row').first(), 'data-state', 'waiting');
    await screenshot(server.page, 'transfers-offer-light.png');
    await screenshot(client.page, 'transfers-waiting-light.png');
    await server.byTestId('offer-accept').click();

    const sent = client.byTestId('transfer-row').filter({ hasText: 'dropped.bin' });
    await waitForAttribute(sent, 'data-state', 'done', 20_000);
    expect(await sent.getByTestId('transfer-progress').textContent()).toBe('3.0 MB of 3.0 MB · 100%');
    const received = server.byTestId('transfer-row').filter({ hasText: 'dropped.bin' });
    await waitForAttribute(received, 'data-state', 'done');
    expect(await received.getByTestId('transfer-saved').textContent()).toBe(`Saved as dropped.bin in ${folder}`);
    expect(readdirSync(folder)).toEqual(['dropped.bin']);
    expect(sha(join(folder, 'dropped.bin'))).toBe(digest);
    // Under "100%", both bars are full at once (not still gliding from the last update).
    for (const row of [sent, received]) {
      const bar = await progressBar(row);
      expect(bar).toMatchObject({ moving: 0, glides: false });
      expect(bar.filled).toBeCloseTo(1, 2);
    }
    await screenshot(client.page, 'transfers-client-light.png');
    await screenshot(server.page, 'transfers-server-light.png');
  }, 90_000);

  // Two windows each, on a machine other work shares: more time than the suite's default.
  it.each([
    ['dark', 'en-US', 'dark'],
    ['light', 'ja-JP', 'ja-light'],
  ] as const)('screenshots %s %s: the folder mode accepts without asking', async (scheme, locale, tag) => {
    const { server, client } = await pair(scheme, locale);
    await server.byTestId('receive-mode').getByRole('radio').nth(1).click();
    await dropFile(client, `report-${tag}.pdf`, 1_200_000);
    await waitForAttribute(server.byTestId('transfer-row').first(), 'data-state', 'done', 30_000);
    await waitForAttribute(client.byTestId('transfer-row').first(), 'data-state', 'done');
    expect(readdirSync(folder)).toEqual([`report-${tag}.pdf`]);
    await screenshot(client.page, `transfers-client-${tag}.png`);
    await screenshot(server.page, `transfers-server-${tag}.png`);
  }, 90_000);
});
