/**
 * `msp --run get-file` and `--run put-file` end to end, as a user runs them: a server with
 * `--allow-commands` sharing one folder, clients getting and putting files. Exit 0 only once the
 * SHA-256 is verified; 1 with the reason when refused; the server's audit log has every file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCliServer, type CliServer } from '../helpers/cli.ts';
import { commandsFolder } from '../helpers/remote.ts';

const servers: CliServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('msp remote get-file and put-file (CLI)', { timeout: 120_000 }, () => {
  it('gets and puts files with verified SHA-256 (exit 0); refusals exit 1 with the reason; all audited', async () => {
    const { dir, file } = commandsFolder({ version: 1, builtins: { files: { folder: 'shared', get: true, put: true, maxPutBytes: 100_000 } } });
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const report = randomBytes(50_000);
    writeFileSync(join(shared, 'report.bin'), report);
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'cli-files-pw\n');
    const server = await startCliServer(['--password-file', passwordFile, '--allow-commands', file]);
    servers.push(server);
    const client = (...args: string[]) => runCli(['--mode', 'client', '--port', String(server.port), '--password-file', passwordFile, ...args]);
    const landing = mkdtempSync(join(tmpdir(), 'msp-cli-get-'));

    const got = await client('--run', 'get-file', '--arg', 'name=report.bin', '--receive-dir', landing);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(new RegExp(`get-file: saved as .*report\\.bin, 50000 bytes, SHA-256 ${sha256(report)} verified`));
    expect(sha256(readFileSync(join(landing, 'report.bin')))).toBe(sha256(report));

    const local = join(mkdtempSync(join(tmpdir(), 'msp-cli-put-')), 'notes.txt');
    const notes = randomBytes(20_000);
    writeFileSync(local, notes);
    const put = await client('--run', 'put-file', '--arg', `path=${local}`);
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(new RegExp(`put-file: saved on the server as notes\\.txt, 20000 bytes, SHA-256 ${sha256(notes)} verified`));
    expect(sha256(readFileSync(join(shared, 'notes.txt')))).toBe(sha256(notes));

    // Refusals: outside the folder, over the cap, no --receive-dir.
    const outside = await client('--run', 'get-file', '--arg', 'name=../remote-commands.json', '--receive-dir', landing);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/Error: "name": must not contain "\.\."\. \(REMOTE_ERR_BAD_ARGUMENT\)/);
    const big = join(mkdtempSync(join(tmpdir(), 'msp-cli-put-')), 'big.bin');
    writeFileSync(big, randomBytes(100_001));
    const tooBig = await client('--run', 'put-file', '--arg', `path=${big}`);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toMatch(/"size": must be between 0 and 100000/);
    expect(existsSync(join(shared, 'big.bin'))).toBe(false);
    const nowhere = await client('--run', 'get-file', '--arg', 'name=report.bin');
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/--run get-file needs --receive-dir DIR/);
    // A plain client is told why before anything is asked.
    const plain = await runCli(['--mode', 'client', '--port', String(server.port), '--run', 'get-file', '--arg', 'name=report.bin', '--receive-dir', landing]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/Remote control needs a password-authenticated session/);
    expect(readdirSync(landing)).toEqual(['report.bin']);

    const audit = readFileSync(join(dir, 'remote-commands.audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.filter((e) => e.event === 'transfer').map((e) => [e.command, e.file, e.size, e.sha256, e.outcome])).toEqual([
      ['get-file', 'report.bin', 50_000, sha256(report), 'verified'],
      ['put-file', 'notes.txt', 20_000, sha256(notes), 'verified'],
    ]);
    expect(server.events.some((e) => e.event === 'remote' && e.action === 'transfer' && e.command === 'put-file')).toBe(true);
  });
});
