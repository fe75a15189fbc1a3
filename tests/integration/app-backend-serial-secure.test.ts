/**
 * MSP v3 over a serial port in the app backend: a sender AppBackend and a responder
 * AppBackend on the two ends of a socat pty pair, as `msp --mode client/server --serial
 * --password` do. The wire is watched by a third
 * reader nobody else uses: the responder's own log of raw bytes in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PacketType } from '../../shared/msp/index.ts';
import { serialOpenSchema, type SerialOpenInput } from '../../shared/ipc/serial.ts';
import type { LinkStatus } from '../../shared/ipc/types.ts';
import { recordedBackend, type RecordedBackend } from '../helpers/backend.ts';
import { socatSkip, startPtyPair, stopAllPtyPairs } from '../helpers/socat.ts';

const PASSWORD = 'correct horse battery staple';

const opened: RecordedBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.backend.dispose()));
  await stopAllPtyPairs();
});

function backend(): RecordedBackend {
  const r = recordedBackend({ trafficIntervalMs: 5, ackTimeoutMs: 5000 });
  opened.push(r);
  return r;
}

/** As the router does: validated by the contract's schema first. */
const open = (r: RecordedBackend, path: string, input: Partial<SerialOpenInput>) =>
  r.backend.openSerial(serialOpenSchema.parse({ path, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', role: 'sender', ...input }));
const typed = (value: string) => ({ source: 'typed' as const, value });
const lastStatus = (r: RecordedBackend): LinkStatus | undefined => r.payloads('link.status').at(-1);
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

describe(`app backend: MSP v3 over a socat pty pair${socatSkip.reason}`, { skip: socatSkip.skip }, () => {
  it('a sender and a responder with the same password: "Hello sealed serial" ACKed, both locks v3, no plaintext on the wire, no password in any event', async () => {
    const pty = await startPtyPair();
    const responder = backend();
    expect(await open(responder, pty.b, { role: 'responder', security: { password: typed(PASSWORD) } })).toMatchObject({
      ok: true,
      value: { state: 'serial', phase: 'open', security: { password: true, allowLegacy: false } },
    });
    const sender = backend();
    // Open means the handshake is done: the sender waits for it, as a TCP client does.
    expect(await open(sender, pty.a, { security: { password: typed(PASSWORD) } })).toMatchObject({ ok: true, value: { state: 'serial', phase: 'open', lock: 'v3' } });
    await responder.waitFor(() => lastStatus(responder)?.state === 'serial' && (lastStatus(responder) as { lock?: string }).lock === 'v3', 'the responder\'s v3 lock');

    expect(sender.backend.send({ format: 'text', input: 'Hello sealed serial', repeat: 1, intervalMs: 0 }).ok).toBe(true);
    await sender.waitFor(() => sender.traffic().some((t) => t.kind === 'ack'), 'the ACK');
    const data = sender.entries().find((e) => e.dir === 'out' && e.awaitsAck)!;
    expect(data).toMatchObject({ lock: 'v3' });
    expect(data.raw[5]).toBe(PacketType.SEALED_DATA);
    expect(text(data.plaintext)).toBe('Hello sealed serial');

    await responder.waitFor(() => responder.entries().some((e) => text(e.plaintext) === 'Hello sealed serial'), 'the DATA at the responder');
    expect(responder.entries().find((e) => text(e.plaintext) === 'Hello sealed serial')).toMatchObject({ dir: 'in', lock: 'v3' });
    // Every byte that crossed the pty, as each side logged it: ciphertext only.
    const wire = Buffer.concat([...sender.entries(), ...responder.entries()].map((e) => Buffer.from(e.raw)));
    expect(wire.includes('Hello sealed serial')).toBe(false);
    for (const r of [sender, responder]) expect(JSON.stringify(r.events)).not.toContain(PASSWORD);
  });

  it('a wrong password is an error result and status that says so; the sender is not left open', async () => {
    const pty = await startPtyPair();
    const responder = backend();
    await open(responder, pty.b, { role: 'responder', security: { password: typed(PASSWORD) } });
    const sender = backend();
    const result = await open(sender, pty.a, { security: { password: typed('not the password') } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
    expect(lastStatus(sender)).toMatchObject({ state: 'error', error: { code: 'CRYPTO_ERR_WRONG_PASSWORD' } });
    expect(sender.backend.send({ format: 'text', input: 'x', repeat: 1, intervalMs: 0 })).toMatchObject({ ok: false, error: { code: 'APP_ERR_NOT_CONNECTED' } });
    expect(JSON.stringify(sender.events)).not.toContain('not the password');
  });

  it('a responder with a password refuses plaintext DATA from a sender without one: logged as refused, no ACK', async () => {
    const pty = await startPtyPair();
    const responder = backend();
    await open(responder, pty.b, { role: 'responder', security: { password: typed(PASSWORD), allowLegacy: false } });
    const sender = backend();
    await open(sender, pty.a, {});
    expect(sender.backend.send({ format: 'text', input: 'in the clear', repeat: 1, intervalMs: 0 }).ok).toBe(true);
    await responder.waitFor(() => responder.entries().some((e) => e.rejected), 'the refused packet');
    expect(responder.entries().find((e) => e.rejected)).toMatchObject({ dir: 'in', lock: 'none', rejected: { code: 'CRYPTO_ERR_PLAINTEXT_REFUSED' } });
    expect(responder.entries().filter((e) => e.dir === 'out')).toEqual([]);
  });
});
