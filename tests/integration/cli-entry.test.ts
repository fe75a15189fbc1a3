/**
 * bin/msp.js, the command a user runs, end to end. The other CLI tests start the bundle that
 * tests/global-setup.ts builds from the same source; this one proves the real entry (tsx
 * loading the TypeScript) works too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MSP_ENTRY, runCli, startCliServer, type CliServer } from '../helpers/cli.ts';

let server: CliServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('bin/msp.js', () => {
  it('prints its usage and exits 0', async () => {
    const run = await runCli(['--help'], 30_000, {}, MSP_ENTRY);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--mode server');
  });

  it('runs a server and a client: the message arrives and is ACKed', async () => {
    server = await startCliServer([], MSP_ENTRY);
    const run = await runCli(['--mode', 'client', '--port', String(server.port), '--message', 'from bin/msp.js'], 30_000, {}, MSP_ENTRY);
    expect(run.code).toBe(0);
    await server.waitFor((events) => events.some((e) => e.event === 'packet' && e.dir === 'in' && e.type === 'DATA' && e.text === 'from bin/msp.js'));
  });
});
