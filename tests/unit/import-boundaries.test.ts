/**
 * The layer rules (.dependency-cruiser.cjs) can fail: run with the project's config on a tiny
 * tree of deliberate violations, dependency-cruiser must refuse each by its rule's name; on
 * the real tree it must pass.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/boundary-violation/', import.meta.url));
const CLI = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../.dependency-cruiser.cjs', import.meta.url));

/** Paths in the rules are relative to where it runs, so each tree is cruised from its own root. */
function cruise(cwd: string, folders: string[]) {
  const run = spawnSync(process.execPath, [CLI, '--config', CONFIG, ...folders], { cwd, encoding: 'utf8', timeout: 110_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// Loading TypeScript makes each run take seconds; under a loaded machine, tens of seconds.
describe('import boundaries (dependency-cruiser)', { timeout: 120_000 }, () => {
  it('refuses a renderer importing electron/, the link layer importing Electron, and shared/ importing node:fs', () => {
    const { status, output } = cruise(FIXTURE, ['renderer', 'electron', 'shared']);
    expect(status).not.toBe(0);
    expect(output).toMatch(/error renderer-not-to-electron: renderer\/src\/x\.ts → electron\/main\/link\/y\.ts/);
    expect(output).toMatch(/error link-and-app-not-to-electron-module: electron\/main\/link\/y\.ts → .*node_modules\/electron\//);
    expect(output).toMatch(/error shared-not-to-node-builtins: shared\/z\.ts → fs/);
    expect(output).toMatch(/3 dependency violations/);
  });

  it('passes on the real tree', () => {
    const { status, output } = cruise(ROOT, ['electron', 'renderer', 'shared', 'bin']);
    expect(output).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  });
});
