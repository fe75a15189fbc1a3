/**
 * What every browser suite needs, set up once per suite: the renderer built as the app
 * ships it, the test host serving it, Debian's Chromium, and app windows that are closed
 * after each test. Call `useGuiSuite()` inside the suite's `describe`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildForTestHost, PROJECT_ROOT } from '../host/build.ts';
import { startTestHost, type TestHost } from '../host/server.ts';
import { AppPage } from './appPage.ts';
import { IN_CI, findChromium, launchChromium } from './chromium.ts';

export const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots');

/** Saves tests/e2e/screenshots/NAME with transitions run to their end: what a person sees a moment later. */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: join(SCREENSHOTS, name), animations: 'disabled' });
}
export const CHROMIUM = findChromium();
/** Outside CI a missing chromium skips a suite (its title says why); under CI=true it fails. */
export const SKIP_WITHOUT_CHROMIUM = !CHROMIUM && !IN_CI;
export const NO_CHROMIUM_REASON = ' (skipped: no chromium on PATH; apt-get install chromium)';

export interface OpenAppOptions {
  /** Query string for the test host: `profile=NAME` (its own settings folder), `platform=win32`. */
  query?: string;
  locale?: string;
  colorScheme?: 'light' | 'dark';
  height?: number;
}

export interface GuiSuite {
  readonly host: TestHost;
  readonly browser: Browser;
  /** A new app window: its own page, its own backend. Fails on any page error while loading. */
  openApp(options?: OpenAppOptions): Promise<AppPage>;
  /** Closes every window opened so far (also done after each test). */
  closeWindows(): Promise<void>;
}

/** `outDir`: a build folder of the suite's own, so suites can build at the same time. */
export function useGuiSuite(outDir?: string): GuiSuite {
  let host: TestHost | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed, and under CI the GUI tests must run: apt-get install chromium');
    host = await startTestHost(await buildForTestHost(outDir ? resolve(PROJECT_ROOT, outDir) : undefined));
    browser = await launchChromium(CHROMIUM);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  const closeWindows = async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  };
  afterEach(closeWindows);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  return {
    get host() {
      if (!host) throw new Error('the test host is not running (beforeAll failed)');
      return host;
    },
    get browser() {
      if (!browser) throw new Error('chromium is not running (beforeAll failed)');
      return browser;
    },
    async openApp(options = {}) {
      const context = await this.browser.newContext({
        viewport: { width: 1360, height: options.height ?? 860 },
        locale: options.locale ?? 'en-US',
        colorScheme: options.colorScheme ?? 'light',
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(this.host.pageUrl(options.query));
      const app = new AppPage(page);
      await app.waitForApp();
      expect(errors).toEqual([]);
      return app;
    },
    closeWindows,
  };
}
