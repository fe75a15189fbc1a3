/**
 * A file transfer inside an MSP v3 session, as the log shows it: every service message goes
 * as SEALED_SERVICE, and each row and the inspector name the TYPE inside it (FT_OFFER,
 * FT_CHUNK...), as the session opened or sealed it; the hex dump stays the wire's bytes.
 * Screenshots of the client's log with a sealed FT_CHUNK selected: light, dark, Japanese.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppPage, waitForAttribute, waitForText } from './helpers/appPage.ts';
import { NO_CHROMIUM_REASON, SCREENSHOTS, SKIP_WITHOUT_CHROMIUM, useGuiSuite } from './helpers/guiSuite.ts';

const PASSWORD = 'sealed-log-gui-password';
const title = `sealed service messages in the log (Chromium)${SKIP_WITHOUT_CHROMIUM ? NO_CHROMIUM_REASON : ''}`;

describe.skipIf(SKIP_WITHOUT_CHROMIUM)(title, () => {
  const suite = useGuiSuite('out/test-host-sealed-log');
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'msp-sealed-log-rx-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** A password server that accepts files into `folder`, and a client with the same password, both on Transfers. */
  async function pair(colorScheme: 'light' | 'dark', locale: string, tag: string): Promise<{ server: AppPage; client: AppPage }> {
    const server = await suite.openApp({ colorScheme, locale, query: `profile=sealed-log-server-${tag}` });
    await server.byTestId('mode').getByRole('radio', { name: /server|サーバー/i }).click();
    await server.byTestId('password').fill(PASSWORD);
    await server.byTestId('allow-legacy').uncheck();
    const port = await server.startServer();
    const client = await suite.openApp({ colorScheme, locale, query: `profile=sealed-log-client-${tag}` });
    await client.byTestId('password').fill(PASSWORD);
    await client.connect(port);
    await waitForAttribute(client.byTestId('status-lock'), 'data-lock', 'v3');
    for (const app of [server, client]) await app.byTestId('tool-transfers').click();
    await server.byTestId('receive-folder').fill(folder);
    await server.byTestId('receive-folder').blur();
    await server.byTestId('receive-mode').getByRole('radio').nth(1).click(); // accept into the folder
    return { server, client };
  }

  async function dropFile(app: AppPage, name: string, size: number): Promise<void> {
    await app.page.evaluate(
      ({ name, size }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(size).fill(0x5a)], name));
        const zone = document.querySelector('[data-testid="drop-zone"]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { name, size },
    );
  }

  /** The inner TYPE of each sealed row in a window's log, in order. */
  const innerTypes = (app: AppPage) => app.page.locator('[data-testid=log-row] .type-badge[data-inner-type]').evaluateAll((badges) => badges.map((b) => b.getAttribute('data-inner-type')));

  /** Waits until the window's log has a sealed row for each of `types` (rows come in batches, after the transfer's end may show). */
  async function waitForInnerTypes(app: AppPage, types: string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    let seen: Array<string | null> = [];
    while (Date.now() < deadline) {
      seen = await innerTypes(app);
      if (types.every((type) => seen.includes(type))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for sealed rows ${types.join(', ')}; seen: ${seen.join(', ')}`);
  }

  it.each([
    ['light', 'en-US', 'light'],
    ['dark', 'en-US', 'dark'],
    ['light', 'ja-JP', 'ja'],
  ] as const)('%s %s: each sealed row names its FT_* TYPE; the inspector too, over the wire bytes', async (scheme, locale, tag) => {
    const { server, client } = await pair(scheme, locale, tag);
    await dropFile(client, `sealed-${tag}.bin`, 150_000);
    await waitForAttribute(client.byTestId('transfer-row').first(), 'data-state', 'done', 30_000);
    expect(readdirSync(folder)).toEqual([`sealed-${tag}.bin`]);

    // The client sent the offer and the chunks and opened the answers; the server the other way round.
    await waitForInnerTypes(client, ['FT_OFFER', 'FT_ACCEPT', 'FT_CHUNK', 'FT_PROGRESS', 'FT_DONE']);
    await waitForInnerTypes(server, ['FT_OFFER', 'FT_ACCEPT', 'FT_CHUNK', 'FT_PROGRESS', 'FT_DONE']);
    // On the wire every one of them is SEALED_SERVICE, under the v3 lock.
    const chunk = client.rows.filter({ has: client.page.locator('.type-badge[data-inner-type=FT_CHUNK]') }).first();
    expect(await chunk.getAttribute('data-lock')).toBe('v3');
    expect(await chunk.locator('.type-badge').getAttribute('title')).toBe('SEALED_SERVICE › FT_CHUNK');
    expect(await chunk.locator('.type-wire').textContent()).toBe('SEALED_SERVICE');

    await chunk.click();
    const inspector = client.byTestId('inspector');
    await waitForText(inspector.locator('.inspector-title'), /SEALED_SERVICE › FT_CHUNK/);
    const typeRow = inspector.locator('[data-field-name=type]');
    expect(await typeRow.locator('td').nth(2).textContent()).toBe('36'); // the byte on the wire
    expect(await typeRow.locator('td').nth(3).textContent()).toBe('SEALED_SERVICE › FT_CHUNK');
    await waitForText(client.byTestId('plaintext-dump').locator('.dump-title'), tag === 'ja' ? /FT_CHUNK の復号したペイロード/ : /Decrypted payload of FT_CHUNK/);
    // The hex dump is the wire's bytes: AA 55, the length, VERSION 3, TYPE 0x36.
    const wire = (await inspector.getByTestId('hexdump').first().locator('.hex-bytes').allTextContents()).join('');
    expect(wire.slice(0, 4)).toBe('AA55');
    expect(wire.slice(8, 12)).toBe('0336');
    await client.page.screenshot({ path: join(SCREENSHOTS, `log-sealed-transfer-${tag}.png`) });
  }, 90_000);
});
