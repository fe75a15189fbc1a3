/**
 * Vitest's global setup: bundles the CLI once (esbuild, a fraction of a second) so the hundreds
 * of `msp` processes the integration tests start each load one JavaScript file instead of
 * compiling ~300 TypeScript modules through tsx (about 1 s of CPU per process otherwise).
 * The bundle is the same source as bin/msp.js runs; tests/integration/cli-entry.test.ts runs
 * bin/msp.js itself, the way a user does.
 */
import { build } from 'esbuild';
import { TEST_CLI_BUNDLE } from './helpers/cli-bundle.ts';

export default async function setup(): Promise<void> {
  await build({
    entryPoints: [new URL('../electron/cli/main.ts', import.meta.url).pathname],
    outfile: TEST_CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // node_modules stay imports: the same copies bin/msp.js uses (serialport's native binding too).
    packages: 'external',
    logLevel: 'warning',
  });
}
