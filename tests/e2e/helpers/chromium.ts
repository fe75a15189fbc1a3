/** Debian's Chromium for the GUI tests: where it is, and how to launch it headless. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const IN_CI = process.env.CI === 'true';

/** The chromium binary on PATH (Debian package `chromium`), or CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on PATH; try the next name
    }
  }
  return undefined;
}

/**
 * Headless, sandbox off (containers), nothing phoning home. Playwright gives every
 * launch a fresh temporary profile (it refuses a --user-data-dir of our own).
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
