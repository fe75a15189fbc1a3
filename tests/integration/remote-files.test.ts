/**
 * The get-file and put-file built-ins over real TCP, MSP v3 with a password (README "Remote
 * control"): the file moves by the session's own file transfer and both ends agree on its
 * SHA-256. Every refusal asserts that no file moved: nothing landed in the controller's folder,
 * nothing appeared in (or outside) the shared folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReceiveFolder } from '../../electron/main/link/services/file-transfer/receive-folder.ts';
import { fileRunVerified, getFile, putFile } from '../../electron/main/link/services/remote/remote-files.ts';
import { putName } from '../../electron/main/link/services/remote/file-builtins.ts';
import { commandsFolder, connectController, startRemoteServer, type Controller, type RemoteServer } from '../helpers/remote.ts';
import { waitFor } from '../helpers/wait.ts';

const servers: RemoteServer[] = [];
const clients: Controller[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.session.close();
  for (const s of servers.splice(0)) await s.stop();
});

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A server sharing `shared/` (beside its commands file) with get and put on, and a few files in it. */
async function setup(files: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const folder = commandsFolder({ version: 1, builtins: { files: { folder: 'shared', list: true, get: true, put: true, ...files } }, ...extra });
  const shared = join(folder.dir, 'shared');
  mkdirSync(shared);
  const report = randomBytes(300_000); // several windows of chunks
  writeFileSync(join(shared, 'report.bin'), report);
  mkdirSync(join(shared, 'sub'));
  writeFileSync(join(folder.dir, 'secret.txt'), 'outside the shared folder');
  const s = await startRemoteServer(folder.file);
  servers.push(s);
  const c = await connectController(s.port, undefined, false, true);
  clients.push(c);
  const landing = mkdtempSync(join(tmpdir(), 'msp-get-'));
  const into = await ReceiveFolder.open({ dir: landing });
  if (!into.ok) throw new Error(into.error);
  return { ...folder, shared, report, server: s, c, landing, into: () => ({ folder: into.value }) };
}

describe('remote get-file and put-file over TCP, MSP v3 with a password', () => {
  it('get-file: the file comes by file transfer, verified; both ends have the same SHA-256; audited', async () => {
    const { c, report, landing, into, server } = await setup();
    let stdout = '';
    const got = await getFile(c.controller, 'report.bin', into, { onOutput: (_s, b) => (stdout += Buffer.from(b).toString()) }).done;
    expect(got.ok && fileRunVerified(got.value)).toBe(true);
    if (!got.ok) return;
    expect(got.value.file).toEqual({ name: 'report.bin', size: report.length, sha256: sha256(report) });
    expect(sha256(readFileSync(join(landing, 'report.bin')))).toBe(sha256(report));
    expect(stdout).toMatch(new RegExp(`^Sent report.bin: 300000 bytes, SHA-256 ${sha256(report)}, verified`));
    // The audit log, on disk, says who got what.
    const lines = readFileSync(server.auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((e) => e.event === 'transfer')).toMatchObject({ command: 'get-file', file: 'report.bin', size: 300_000, sha256: sha256(report), outcome: 'verified' });
    expect(lines.find((e) => e.event === 'exit')).toMatchObject({ command: 'get-file', exitCode: 0 });
  });

  it('put-file: the file goes into the shared folder, verified by SHA-256, and is audited; no overwrite unless allowed', async () => {
    const { c, shared, server } = await setup();
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'notes.txt');
    const content = randomBytes(100_000);
    writeFileSync(local, content);
    const put = await putFile(c.controller, local, undefined).done;
    expect(put.ok && fileRunVerified(put.value)).toBe(true);
    expect(put.ok && put.value.file).toEqual({ name: 'notes.txt', size: content.length, sha256: sha256(content) });
    expect(sha256(readFileSync(join(shared, 'notes.txt')))).toBe(sha256(content));
    // Again: the first stays, the second is "notes (1).txt".
    writeFileSync(local, 'second');
    const again = await putFile(c.controller, local, undefined).done;
    expect(again.ok && again.value.file?.name).toBe('notes (1).txt');
    expect(sha256(readFileSync(join(shared, 'notes.txt')))).toBe(sha256(content));
    expect(server.audit.filter((e) => e.event === 'transfer').map((e) => [e.command, e.file, e.size, e.sha256, e.outcome])).toEqual([
      ['put-file', 'notes.txt', 100_000, sha256(content), 'verified'],
      ['put-file', 'notes (1).txt', 6, sha256(Buffer.from('second')), 'verified'],
    ]);
  });

  it('put-file replaces a file of the same name only when the commands file says overwrite', async () => {
    const { c, shared } = await setup({ overwrite: true });
    writeFileSync(join(shared, 'same.txt'), 'old');
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'same.txt');
    writeFileSync(local, 'new');
    const put = await putFile(c.controller, local, undefined).done;
    expect(put.ok && put.value.file?.name).toBe('same.txt');
    expect(readFileSync(join(shared, 'same.txt'), 'utf8')).toBe('new');
  });

  it('get-file refuses "..", an absolute path, a symlink out of the folder and a folder; nothing moves', async () => {
    const { c, dir, shared, landing, into, server } = await setup();
    symlinkSync(join(dir, 'secret.txt'), join(shared, 'link-out'));
    const attempt = async (name: string) => (await getFile(c.controller, name, into).done) as { ok: boolean; error?: { code: string; message: string }; value?: { exit: { exitCode: number } } };
    expect(await attempt('../secret.txt')).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/must not contain "\.\."/) } });
    expect(await attempt(join(dir, 'secret.txt'))).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/not an absolute path/) } });
    expect(await attempt('sub/../../secret.txt')).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT' } });
    expect(await attempt('link-out')).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/outside the allowed folder/) } });
    let stderr = '';
    const folder = await getFile(c.controller, 'sub', into, { onOutput: (_s, b) => (stderr += Buffer.from(b).toString()) }).done;
    expect(folder).toMatchObject({ ok: true, value: { exit: { exitCode: 1 } } });
    expect(folder.ok && fileRunVerified(folder.value)).toBe(false);
    expect(stderr).toBe('sub is a folder, not a file.\n');
    expect(readdirSync(landing)).toEqual([]);
    expect(server.audit.filter((e) => e.event === 'started').length).toBe(1); // only the folder one ran, and said no
    expect(server.audit.find((e) => e.event === 'transfer')).toMatchObject({ command: 'get-file', file: 'sub', outcome: 'failed' });
  });

  it('a bare offer (no put-file run authorised it) is refused, and nothing lands in the shared folder', async () => {
    const { c, shared } = await setup();
    const before = readdirSync(shared).sort();
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'bare.txt');
    writeFileSync(local, 'not asked for');
    const sent = await c.transfer!.sendFile(local);
    expect(sent).toMatchObject({ ok: false, error: { code: 'FT_ERR_REFUSED', message: expect.stringMatching(/does not accept files/i) } });
    expect(readdirSync(shared).sort()).toEqual(before);
  });

  it('put-file: a name with a path keeps only its last part, inside the folder; an unsafe one is refused', async () => {
    const { c, dir, shared } = await setup();
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'payload.txt');
    writeFileSync(local, 'payload');
    const put = await putFile(c.controller, local, '../../evil.txt').done;
    expect(put.ok && put.value.file?.name).toBe('evil.txt');
    expect(readFileSync(join(shared, 'evil.txt'), 'utf8')).toBe('payload');
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    expect(existsSync(join(dirname(dir), 'evil.txt'))).toBe(false);
    const windows = await putFile(c.controller, local, 'C:\\Windows\\evil2.txt').done;
    expect(windows.ok && windows.value.file?.name).toBe('evil2.txt');
    let stderr = '';
    const dots = await putFile(c.controller, local, 'a/..', { onOutput: (_s, b) => (stderr += Buffer.from(b).toString()) }).done;
    expect(dots).toMatchObject({ ok: true, value: { exit: { exitCode: 1 } } });
    expect(stderr).toMatch(/is a folder, not a file name/);
    expect(putName('sub/report.txt')).toEqual({ ok: true, name: 'report.txt', changed: true });
    expect(putName('CON.txt')).toMatchObject({ ok: true, name: '_CON.txt' });
  });

  it('put-file over the size cap is refused before any byte moves; an offer bigger than announced is refused too', async () => {
    const { c, shared, server } = await setup({ maxPutBytes: 1000 });
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'big.bin');
    writeFileSync(local, randomBytes(2000));
    const big = await putFile(c.controller, local, undefined).done;
    expect(big).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_BAD_ARGUMENT', message: expect.stringMatching(/"size": must be between 0 and 1000/) } });
    // A controller that announces 10 bytes and offers 2000: the offer is refused.
    const sent: Array<Promise<unknown>> = [];
    let stderr = '';
    const run = c.controller.run(
      'put-file',
      [
        ['name', 'big.bin'],
        ['size', '10'],
      ],
      { onStarted: () => sent.push(c.transfer!.sendFile(local)), onOutput: (_s, b) => (stderr += Buffer.from(b).toString()) },
    );
    expect(await run.done).toMatchObject({ ok: true, value: { exitCode: 1 } });
    expect(await sent[0]).toMatchObject({ ok: false, error: { code: 'FT_ERR_REFUSED' } });
    expect(stderr).toMatch(/2000 bytes, not the 10 announced/);
    expect(readdirSync(shared).filter((n) => n.startsWith('big'))).toEqual([]);
    expect(server.audit.filter((e) => e.event === 'transfer').map((e) => e.outcome)).toEqual(['failed']);
  });

  it('a plaintext client can neither get nor put; get and put count against the rate limit', async () => {
    const { server, into } = await setup({}, { runsPerMinute: 2 });
    const plain = await connectController(server.port, null, false, true);
    clients.push(plain);
    expect(await getFile(plain.controller, 'report.bin', into).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' } });
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'x.txt');
    writeFileSync(local, 'x');
    expect(await putFile(plain.controller, local, undefined).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_NEEDS_AUTHENTICATION' } });
    // The authenticated client of setup(): two runs a minute.
    const c = clients[0];
    expect(await getFile(c.controller, 'report.bin', into).done).toMatchObject({ ok: true });
    expect(await putFile(c.controller, local, undefined).done).toMatchObject({ ok: true });
    expect(await getFile(c.controller, 'report.bin', into).done).toMatchObject({ ok: false, error: { code: 'REMOTE_ERR_RATE_LIMITED' } });
  });

  it('a put-file that is revoked before its offer comes ends, and its authorisation goes with it', async () => {
    const { c, shared, server } = await setup();
    let started = false;
    let stderr = '';
    const run = c.controller.run(
      'put-file',
      [
        ['name', 'late.txt'],
        ['size', '4'],
      ],
      { onStarted: () => (started = true), onOutput: (_s, b) => (stderr += Buffer.from(b).toString()) },
    );
    await waitFor(() => started, 'the put-file run to start');
    server.host.revoke(server.host.controllers()[0].peer);
    expect(await run.done).toMatchObject({ ok: true, value: { exitCode: 1 } });
    expect(stderr).toBe('Cancelled.\n');
    const local = join(mkdtempSync(join(tmpdir(), 'msp-put-')), 'late.txt');
    writeFileSync(local, 'late');
    expect(await c.transfer!.sendFile(local)).toMatchObject({ ok: false, error: { code: 'FT_ERR_REFUSED' } });
    expect(existsSync(join(shared, 'late.txt'))).toBe(false);
  });
});
