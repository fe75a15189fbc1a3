/**
 * What a CPace handshake costs one side (ristretto255 / SHA-512, @noble/curves, one thread):
 * the generator, our share (one scalar multiplication), the peer's share checked and
 * multiplied (the second), and ISK. Median over many runs, with the parts broken down.
 * Then a whole MSP v3 handshake (suite 0x02) between a client and a server Session over an
 * in-memory duplex: wall time to both sides' key confirmation, and each side's CPU time in its
 * secure channel (CPace, HKDF, HMAC). Then a memory-hard pre-derivation of the password, PRS =
 * scrypt(password, salt), at N = 2^15 and 2^17 (r = 8, p = 1), to show what that would add.
 *
 *   node --import tsx tests/bench/cpace.ts [runs]      (also part of npm run bench)
 */
import { scrypt } from 'node:crypto';
import { loadavg } from 'node:os';
import { passwordServerSecurity } from '../../electron/main/link/crypto/password-server-channel.ts';
import { v3ClientSecurity } from '../../electron/main/link/crypto/v3/client-channel.ts';
import type { SecureChannel } from '../../electron/main/link/secure-channel.ts';
import { Session, type Security } from '../../electron/main/link/session.ts';
import { duplexPair } from '../helpers/duplex.ts';
import { CPaceParty, calculateGenerator, sampleScalar, scalarMult, scalarMultVfy, intermediateSessionKey, transcriptIr } from '../../electron/main/link/crypto/cpace/index.ts';
import { median } from './median.ts';

export interface CPaceFigure {
  what: string;
  runs: number;
  /** Wall-clock time: what a user waits, inflated when the machine is busy. */
  medianMs: number;
  /** CPU time of this process (all threads, so scrypt's pool thread counts): steadier under load. */
  medianCpuMs: number;
}

interface Timing {
  medianMs: number;
  medianCpuMs: number;
}

const text = (s: string) => new TextEncoder().encode(s);
const PASSWORD = 'correct horse battery staple';
const CI = text('\x0bA_initiator\x0bB_responder');
const AD = text('MSP v3');

/** The median, to the microsecond (figures are in ms). */
const medianMs = (values: number[]) => Math.round(median(values) * 1000) / 1000;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function time(runs: number, warmUps: number, op: () => void | Promise<void>): Promise<Timing> {
  for (let i = 0; i < warmUps; i++) await op(); // JIT and noble's precomputed tables
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await op();
    wall.push(performance.now() - start);
    cpu.push(cpuMs(cpuStart));
  }
  return { medianMs: medianMs(wall), medianCpuMs: medianMs(cpu) };
}

const scryptPrs = (logN: number, salt: Uint8Array) =>
  new Promise<Uint8Array>((resolve, reject) =>
    scrypt(PASSWORD.normalize('NFC'), salt, 32, { N: 2 ** logN, r: 8, p: 1, maxmem: 129 * 8 * 2 ** logN + (1 << 20) }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** One side's whole CPace: start (generator, scalar, share) and finish (verify + K, ISK). */
function oneSide(prs: Uint8Array, sid: Uint8Array, peer: CPaceParty['message']): void {
  const me = CPaceParty.start({ prs, ci: CI, sid, ad: AD, role: 'responder' });
  const result = me.finish(peer);
  if (!result.ok) throw new Error(result.error.message);
}

/** The channel with the CPU time of its work (creation, start, every received packet) added to `spent.ms`. */
function timedChannel(channel: SecureChannel, spent: { ms: number }): SecureChannel {
  const measured = <T>(work: () => T): T => {
    const start = process.cpuUsage();
    try {
      return work();
    } finally {
      spent.ms += cpuMs(start);
    }
  };
  // A Proxy, so methods the interface gains later pass through untouched.
  return new Proxy(channel, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key === 'start' || key === 'receive') return (...args: unknown[]) => measured(() => (value as (...a: unknown[]) => unknown).apply(target, args));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function timedSecurity(security: Security, spent: { ms: number }): Security {
  return { create: (peer, context) => timedChannel(measuredCreate(() => security.create(peer, context), spent), spent) };
}

function measuredCreate<T>(create: () => T, spent: { ms: number }): T {
  const start = process.cpuUsage();
  const made = create();
  spent.ms += cpuMs(start);
  return made;
}

export interface HandshakeFigure {
  runs: number;
  /** From the two Sessions' creation to the client's lock v3 (after SERVER_CONFIRM). */
  medianWallMs: number;
  medianClientCpuMs: number;
  medianServerCpuMs: number;
}

/** Whole v3 handshakes between real Sessions over an in-memory duplex. */
export async function handshakeFigure(runs = 100): Promise<HandshakeFigure> {
  const server = passwordServerSecurity({ password: PASSWORD });
  const wall: number[] = [];
  const client: number[] = [];
  const serverCpu: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const spent = { client: { ms: 0 }, server: { ms: 0 } };
    const [a, b] = duplexPair();
    const start = performance.now();
    let done: () => void = () => {};
    const established = new Promise<void>((resolve) => (done = resolve));
    const serverSession = new Session(b, { peer: 'client', autoAck: true, security: timedSecurity(server, spent.server) });
    const clientSession = new Session(a, {
      peer: 'server',
      autoAck: true,
      security: timedSecurity(v3ClientSecurity({ password: PASSWORD, timeoutMs: 5000 }), spent.client),
      observer: (e) => e.kind === 'security' && e.security.lock === 'v3' && done(),
    });
    await established;
    const elapsed = performance.now() - start;
    clientSession.close();
    serverSession.close();
    if (i < 10) continue; // warm-up: JIT and noble's tables
    wall.push(elapsed);
    client.push(spent.client.ms);
    serverCpu.push(spent.server.ms);
  }
  return { runs, medianWallMs: medianMs(wall), medianClientCpuMs: medianMs(client), medianServerCpuMs: medianMs(serverCpu) };
}

export const formatHandshakeFigure = (f: HandshakeFigure): string =>
  `  ${'MSP v3 handshake, two Sessions, in-memory duplex'.padEnd(50)} ${f.medianWallMs.toFixed(2).padStart(9)} ms wall; ` +
  `CPU per side: client ${f.medianClientCpuMs.toFixed(2)} ms, server ${f.medianServerCpuMs.toFixed(2)} ms  (medians of ${f.runs})`;

export async function cpaceFigures(runs = 200, scryptRuns = { 15: 15, 17: 5 }): Promise<CPaceFigure[]> {
  const prs = text(PASSWORD);
  const sid = crypto.getRandomValues(new Uint8Array(16));
  const peer = CPaceParty.start({ prs, ci: CI, sid, ad: AD, role: 'initiator' }).message;
  const g = calculateGenerator(prs, CI, sid);
  const y = sampleScalar();
  const own = { share: scalarMult(y, g), ad: AD };
  const k = scalarMultVfy(y, peer.share);
  if (!k.ok) throw new Error('bench setup: share refused');

  const parts: Array<[string, () => void]> = [
    ['CPace one side: generator + 2 scalar mults + ISK', () => oneSide(prs, sid, peer)],
    ['  of which calculate_generator', () => void calculateGenerator(prs, CI, sid)],
    ['  of which sample_scalar + scalar_mult (own Y)', () => void scalarMult(sampleScalar(), g)],
    ['  of which scalar_mult_vfy (peer Y, K)', () => void scalarMultVfy(y, peer.share)],
    ['  of which ISK (transcript + SHA-512)', () => void intermediateSessionKey(sid, k.value, transcriptIr(peer, own))],
  ];
  const figures: CPaceFigure[] = [];
  for (const [what, op] of parts) figures.push({ what, runs, ...(await time(runs, 20, op)) });
  const salt = crypto.getRandomValues(new Uint8Array(16));
  for (const [logN, n] of Object.entries(scryptRuns)) {
    const op = async () => oneSide(await scryptPrs(Number(logN), salt), sid, peer);
    figures.push({ what: `scrypt(password) N=2^${logN} r=8 p=1, then CPace`, runs: n, ...(await time(n, 1, op)) });
  }
  return figures;
}

export const formatCPaceFigure = (f: CPaceFigure): string =>
  `  ${f.what.padEnd(50)} ${f.medianMs.toFixed(2).padStart(9)} ms wall ${f.medianCpuMs.toFixed(2).padStart(9)} ms CPU  (medians of ${f.runs})`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 200);
  console.log(`CPace ristretto255/SHA-512 (@noble/curves), Node ${process.version}, one thread, load average ${loadavg()[0].toFixed(1)}:`);
  for (const f of await cpaceFigures(runs)) console.log(formatCPaceFigure(f));
  console.log(formatHandshakeFigure(await handshakeFigure(100)));
}
