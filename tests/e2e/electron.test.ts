/**
 * The packaged path: the built app in a real Electron, driven by Playwright's `_electron`.
 * It runs wherever an Electron binary is installed (after `npm start` has downloaded it);
 * this machine has none, so it skips and its title says why.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'electron-vite';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { API_NAMESPACES } from '../../shared/ipc/api.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The Electron binary if it is installed. Read from the electron package's files rather
 * than `require('electron')`, which would try to download the binary.
 */
function findElectronBinary(): string | undefined {
  const packageDir = join(ROOT, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = findElectronBinary();

describe('the built app in Electron', () => {
  it.skipIf(!binary)(
    binary
      ? 'starts hardened, exposes only window.msp, and listens from the server panel'
      : 'starts hardened, exposes only window.msp, and listens from the server panel (skipped: no Electron binary in node_modules/electron/dist; `npm start` downloads it)',
    async () => {
      await build({ root: ROOT, logLevel: 'warn' });
      const env = { ...process.env };
      delete env.ELECTRON_RENDERER_URL; // load the built renderer, not a dev server
      // The user data folder (settings.json) in a temporary place, not the developer's own profile.
      const appData = mkdtempSync(join(tmpdir(), 'msp-electron-'));
      env.XDG_CONFIG_HOME = appData;
      env.APPDATA = appData;
      const app = await electron.launch({ executablePath: binary!, args: [join(ROOT, 'out/main/index.js')], env: env as Record<string, string> });
      try {
        const page = await app.firstWindow();
        await page.getByTestId('app').waitFor();

        // No Node in the page (nodeIntegration off, context isolated), no pop-ups: only window.msp.
        const exposed = await page.evaluate(() => ({
          msp: Object.keys((window as unknown as { msp: object }).msp).sort(),
          require: typeof (window as { require?: unknown }).require,
          process: typeof (window as { process?: unknown }).process,
          popup: window.open('https://example.com/') === null,
        }));
        expect(exposed).toEqual({ msp: [...API_NAMESPACES].sort(), require: 'undefined', process: 'undefined', popup: true });

        await page.getByTestId('mode').getByRole('radio').nth(1).click(); // Server (whatever the OS language)
        await page.getByTestId('server-port').fill('0');
        await page.getByTestId('link-button').click();
        await page.locator('[data-testid="link-status"][data-state="listening"]').waitFor();
        expect(await page.getByTestId('link-status').textContent()).toMatch(/127\.0\.0\.1:\d+/);
      } finally {
        await app.close();
      }
    },
    120_000,
  );
});
