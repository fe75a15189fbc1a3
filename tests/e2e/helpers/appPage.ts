/** Drives the app in a page the way a person does: by its controls and what it shows. */
import type { Locator, Page } from 'playwright-core';

export class AppPage {
  constructor(readonly page: Page) {}

  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  get status(): Locator {
    return this.byTestId('link-status');
  }

  get rows(): Locator {
    return this.byTestId('log-row');
  }

  row(hasText: string | RegExp): Locator {
    return this.rows.filter({ hasText });
  }

  async waitForApp(): Promise<void> {
    await this.byTestId('app').waitFor();
  }

  /** Server mode on the chosen interface, port 0 (a free one); returns the port it got. */
  async startServer(bind: '127.0.0.1' | '0.0.0.0' = '127.0.0.1'): Promise<number> {
    await this.byTestId('mode').getByRole('radio', { name: /server|サーバー/i }).click();
    await this.page.locator(`input[name=bind][value="${bind}"]`).check();
    await this.byTestId('server-port').fill('0');
    await this.byTestId('link-button').click();
    await waitForAttribute(this.status, 'data-state', 'listening');
    const text = await this.status.textContent();
    const port = Number(/:(\d+)/.exec(text ?? '')?.[1]);
    if (!port) throw new Error(`no port in the status: ${text}`);
    return port;
  }

  async connect(port: number, host = '127.0.0.1'): Promise<void> {
    await this.byTestId('host').fill(host);
    await this.byTestId('client-port').fill(String(port));
    await this.byTestId('link-button').click();
  }

  async send(input: string, format: 'text' | 'hex' | 'raw' = 'text'): Promise<void> {
    await this.byTestId('send-format').getByRole('radio').nth(['text', 'hex', 'raw'].indexOf(format)).click();
    await this.byTestId('send-input').fill(input);
    await this.byTestId('send-input').press('Enter');
  }
}

/** Polls until the locator's text matches, and returns it. */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${pattern}; last text: "${text}"`);
}

export async function waitForAttribute(locator: Locator, name: string, value: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | null = null;
  while (Date.now() < deadline) {
    seen = await locator.getAttribute(name);
    if (seen === value) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${name}="${value}"; last: "${seen}"`);
}

export async function waitForCount(locator: Locator, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await locator.count();
    if (seen === count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${count} elements; saw ${seen}`);
}

/**
 * A progress row's bar as drawn right now: how much of its track the fill covers (0..1), how
 * many animations are moving it, and whether a change of width would glide (a transition).
 * A finished file's bar is full at once, never gliding behind its "100%".
 */
export async function progressBar(row: Locator): Promise<{ filled: number; moving: number; glides: boolean }> {
  return row.locator('.progress-fill').evaluate((fill) => ({
    filled: fill.getBoundingClientRect().width / fill.parentElement!.getBoundingClientRect().width,
    moving: fill.getAnimations().length,
    glides: getComputedStyle(fill).transitionDuration.split(',').some((d) => parseFloat(d) > 0),
  }));
}
