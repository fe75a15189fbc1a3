/**
 * Command-line flags, compatible with msp.py / msp-secure.py and extended.
 * Parsing never throws: bad input becomes a UsageError, printed as one line with exit code 2.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PASSWORD_MAX, SERVER_DEFAULTS, TCP_PORT_RANGE } from '../../shared/limits.ts';
import { DEFAULT_PORT, DEMO_PASSWORD } from '../../shared/msp/index.ts';
import { normalizeFingerprint } from '../main/link/tls.ts';
import { CAPTURE_FLAGS, CAPTURE_USAGE, parseCaptureCommand, type ReadConfig, type ReplayConfig } from './capture-args.ts';
import type { CaptureTap } from '../main/link/capture-tap.ts';
import { SERIAL_FLAGS, SERIAL_USAGE, parseSerialFlags, type SerialConfig } from './serial-args.ts';
import { AUTOMATION_FLAGS as CONFORM_FLAGS, CONFORM_USAGE, parseConformConfig, type ConformConfig } from './conform-args.ts';
import { AUTOMATION_FLAGS, AUTOMATION_USAGE, parseAutomationFlags, type AutomationConfig } from './automation-args.ts';
import { TRANSFER_FLAGS, TRANSFER_USAGE, parseTransferFlags, type TransferConfig } from './transfer-args.ts';
import { MODEM_USAGE, ModemUsageError, isModemMode, parseModemCommandLine, type ModemConfig } from './modem-args.ts';
import { REMOTE_FLAGS, REMOTE_USAGE, parseRemoteClientFlags, parseRemoteServerFlags, type RemoteClientConfig, type RemoteServerConfig } from './remote-args.ts';

export interface CommonConfig {
  host: string;
  port: number;
  json: boolean;
  quiet: boolean;
  /** Never printed, logged or put in an error message. */
  password?: string;
  /** `--ask-password`: main prompts for it on the terminal before running (then sets `password`). */
  askPassword?: boolean;
  /** True when the password is the public demonstration one (--secure). */
  demoPassword: boolean;
  /** --serial PATH and its line settings: the link is that port instead of TCP. */
  serial?: SerialConfig;
  /** --rules, --impair, --seed (automation-args.ts). */
  automation: AutomationConfig;
  /** --capture FILE: record this process's traffic there (main opens it and sets captureTap). */
  capture?: string;
  captureTap?: CaptureTap;
  /** File transfer: --receive-dir (server), --send-file (client); see transfer-args.ts. */
  transfer: TransferConfig;
}

export interface ServerConfig extends CommonConfig {
  mode: 'server';
  maxConnections: number;
  /** Clients at once from one address (IPv6: one /64); 0 = no cap. */
  maxPerAddress: number;
  /** A client with no complete frame this long after connecting is closed; 0 = never. */
  firstFrameTimeoutMs: number;
  /** Junk bytes since a client's last valid frame before it is closed; 0 = no limit. */
  maxJunkBytes: number;
  frameTimeoutMs: number;
  idleTimeoutMs: number;
  /** With a password: also accept msp-secure.py's scheme (--legacy; off by default). */
  allowLegacy: boolean;
  /** --legacy-password-file: a different password for msp-secure.py clients than for v3. */
  legacyPassword?: string;
  /** TLS 1.3: a certificate and key from files, or a self-signed one made at start. */
  tls?: { certFile: string; keyFile: string } | { selfSigned: true };
  /** A client that lets more than this many of our bytes pile up unread is disconnected. */
  maxQueuedBytes: number;
  /** --allow-commands FILE: remote control with the commands in FILE (remote-args.ts). */
  remote?: RemoteServerConfig;
}

export interface ClientConfig extends CommonConfig {
  mode: 'client';
  message: string;
  /** --list-services: ask the server which services it offers (docs/PROTOCOL.md, "Services"), print them, send nothing. */
  listServices: boolean;
  repeat: number;
  timeoutMs: number;
  /** With a password: msp-secure.py's weak scheme (--legacy, --secure) instead of MSP v3. */
  legacy: boolean;
  /** TLS 1.3: pin the server's fingerprint, or trust the store (plus a CA file). */
  tls?: { fingerprint?: string; caFile?: string };
  /** Connection attempts after the first (also after a link that drops), with growing pauses. */
  retries: number;
  /** --sequence FILE: run the sequence in this file instead of sending --message. */
  sequenceFile?: string;
  /** --sequence-id: which sequence of the file. */
  sequenceId?: string;
  /** --list-commands or --run NAME: remote control instead of a message (remote-args.ts). */
  remote?: RemoteClientConfig;
}

/** --mode bridge: TCP on one side (--tcp listen|connect at --host/--port), --serial on the other. */
export interface BridgeConfig extends CommonConfig {
  mode: 'bridge';
  serial: SerialConfig;
  tcpRole: 'listen' | 'connect';
  frameTimeoutMs: number;
}

export type { ConformConfig };

export type Config =
  | ServerConfig
  | ClientConfig
  | BridgeConfig
  | ConformConfig
  | ReadConfig
  | ReplayConfig
  | { mode: 'help' }
  | ModemConfig
  | { mode: 'list-ports'; json: boolean };

export class UsageError extends Error {}

export const USAGE = `Usage:
  msp --mode server [--host 127.0.0.1] [--port 9009] [PASSWORD [--legacy [--legacy-password-file FILE]] | --secure]
                    [--tls | --tls-cert FILE --tls-key FILE]
                    [--max-connections N] [--max-per-address N] [--first-frame-timeout S]
                    [--frame-timeout S] [--idle-timeout S] [--max-queued-bytes N] [--max-junk-bytes N]
                    [--json] [--quiet]
  msp --mode client [--host 127.0.0.1] [--port 9009] --message TEXT [--repeat N] [--timeout S] [--retry N]
                    [PASSWORD [--legacy] | --secure] [--tls | --tls-fingerprint HEX] [--tls-ca FILE]
                    [--json] [--quiet]
  msp --mode server|client --serial PATH [--baud N] [line settings] ... (the same flags otherwise)
  msp --mode bridge --serial PATH [--baud N] [line settings] [--tcp listen|connect] [--host H] [--port P]
  msp --list-ports

  --host H            server: address to listen on (0.0.0.0 = every interface); client: server to connect to
  --port P            TCP port, 0..65535 (server: 0 picks a free port)             [9009]
  --message TEXT      client: the text to send as DATA
  --list-services     client: ask the server which services it offers, print them, send no DATA
  --repeat N          client: send it N times, each after the previous ACK         [1]
  --timeout S         client: seconds to wait for connecting and for each ACK      [5]
  --retry N           client: reconnect up to N times (pauses 0.1 s, 0.2 s, ... 5 s) when the
                      connection fails or drops; the unACKed message is sent again  [0]
  PASSWORD is one of (MSP v3 secure session with it, see docs/PROTOCOL.md; a server then
  refuses plaintext):
  --password-file F   the first line of file F
  --ask-password      typed at a prompt (stdin must be a terminal)
  --password PW       given here: every local user can read it in the process list (ps)
                      (with none of these, the MSP_PASSWORD environment variable, if set)
  --legacy            client: msp-secure.py's AES-256-CBC scheme instead (weak, for the original only);
                      server: also accept msp-secure.py clients. Anyone who can connect can then
                      recover the password: use a different one for them (--legacy-password-file)
  --legacy-password-file F  server, with --legacy: msp-secure.py clients' password, from file F
  --no-legacy         server: accept only v3 (the default; kept for older scripts)
  --secure            msp-secure.py's public demonstration password (no protection at all)
  --tls               TLS 1.3. Server: a self-signed certificate, fingerprint printed at start;
                      client: check the server's certificate against the trust store
  --tls-cert FILE     server: certificate (PEM) for TLS; needs --tls-key
  --tls-key FILE      server: private key (PEM) for TLS
  --tls-fingerprint H client: TLS, accepting only the certificate with this SHA-256 fingerprint
  --tls-ca FILE       client: TLS, also trusting this CA certificate (PEM)
  --max-connections N server: refuse clients beyond N                              [${SERVER_DEFAULTS.maxConnections}]
  --max-per-address N server: refuse clients beyond N from one address (IPv6: one /64; 0 = no cap) [${SERVER_DEFAULTS.maxPerAddress}]
  --first-frame-timeout S server: drop a client with no complete frame S seconds after connecting (0 = never) [${SERVER_DEFAULTS.firstFrameTimeoutMs / 1000}]
  --frame-timeout S   server: drop a client that stops mid-frame for S seconds     [10]
  --idle-timeout S    server: drop a client silent for S seconds (0 = never)       [0]
  --max-queued-bytes N server: drop a client that leaves over N bytes of ours unread [1048576]
  --max-junk-bytes N  server: drop a TCP client that sends over N bytes of junk (not MSP frames)
                      since its last valid frame (0 = no limit; a serial port is never closed) [${SERVER_DEFAULTS.maxJunkBytes}]
  --json              one JSON object per line for each event
  --quiet             print nothing per packet
  --tcp ROLE          bridge: listen (on --host/--port) or connect (to a server there) [listen]
  --help              this text

${SERIAL_USAGE}

${CONFORM_USAGE}

${AUTOMATION_USAGE}

${CAPTURE_USAGE}

${TRANSFER_USAGE}

${MODEM_USAGE}

${REMOTE_USAGE}`;

/** `env`: where MSP_PASSWORD is looked up (process.env; tests pass their own). */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined> = process.env): Config {
  // --mode send|receive (X/Y/ZMODEM) has its own flags: modem-args.ts.
  if (isModemMode(argv) && !argv.includes('--help') && !argv.includes('-h')) {
    try {
      return parseModemCommandLine(argv);
    } catch (error) {
      throw error instanceof ModemUsageError ? new UsageError(error.message) : error;
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        message: { type: 'string' },
        repeat: { type: 'string', default: '1' },
        timeout: { type: 'string' },
        password: { type: 'string' },
        'password-file': { type: 'string' },
        'ask-password': { type: 'boolean', default: false },
        'legacy-password-file': { type: 'string' },
        secure: { type: 'boolean', default: false },
        legacy: { type: 'boolean', default: false },
        'no-legacy': { type: 'boolean', default: false },
        tls: { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-fingerprint': { type: 'string' },
        'tls-ca': { type: 'string' },
        'max-connections': { type: 'string', default: String(SERVER_DEFAULTS.maxConnections) },
        'max-per-address': { type: 'string', default: String(SERVER_DEFAULTS.maxPerAddress) },
        'first-frame-timeout': { type: 'string', default: String(SERVER_DEFAULTS.firstFrameTimeoutMs / 1000) },
        'max-junk-bytes': { type: 'string', default: String(SERVER_DEFAULTS.maxJunkBytes) },
        'frame-timeout': { type: 'string', default: '10' },
        'idle-timeout': { type: 'string', default: '0' },
        'max-queued-bytes': { type: 'string', default: String(1 << 20) },
        retry: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        tcp: { type: 'string' },
        'list-ports': { type: 'boolean', default: false },
        'list-services': { type: 'boolean', default: false },
        ...SERIAL_FLAGS,
        ...CONFORM_FLAGS,
        ...AUTOMATION_FLAGS,
        ...CAPTURE_FLAGS,
        ...TRANSFER_FLAGS,
        ...REMOTE_FLAGS,
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) return { mode: 'help' };
  if (v['list-ports']) return { mode: 'list-ports', json: v.json };
  const captureCommand = parseCaptureCommand(
    v,
    (message) => {
      throw new UsageError(message);
    },
    { port: (text) => integer('--port', text, TCP_PORT_RANGE.min, TCP_PORT_RANGE.max), seconds },
  );
  if (captureCommand) return captureCommand;
  if (v.mode !== 'server' && v.mode !== 'client' && v.mode !== 'bridge' && v.mode !== 'conform') {
    throw new UsageError(
      v.mode === undefined
        ? 'Say --mode server, --mode client, --mode bridge, --mode send, --mode receive or --mode conform (or --read FILE).'
        : `Unknown --mode "${v.mode}": use server, client, bridge, send, receive, conform or replay.`,
    );
  }
  const serial = parseSerialFlags(v);
  if (!serial.ok) throw new UsageError(serial.error);
  const automation = v.mode === 'conform' ? ({ ok: true, value: {} } as const) : parseAutomationFlags(v, v.mode);
  if (!automation.ok) throw new UsageError(automation.error);
  const transfer = parseTransferFlags(v, v.mode === 'server' ? 'server' : 'client', v.mode === 'client' && v.run === 'get-file');
  if (!transfer.ok) throw new UsageError(transfer.error);
  const given = passwordFlagsGiven(v);
  if (given.length > 1) throw new UsageError(`Give one of ${given.join(', ')}, not several.`);
  if (v.host.trim() === '') throw new UsageError('--host is empty.');
  const password = v.secure || v['ask-password'] ? undefined : passwordFrom(v, env);
  const common: CommonConfig = {
    host: v.host,
    port: integer('--port', v.port, TCP_PORT_RANGE.min, TCP_PORT_RANGE.max),
    json: v.json,
    quiet: v.quiet,
    password: v.secure ? DEMO_PASSWORD : password,
    demoPassword: v.secure,
    automation: automation.value,
    ...(v['ask-password'] ? { askPassword: true } : {}),
    ...(serial.value ? { serial: serial.value } : {}),
    ...(v.capture !== undefined ? { capture: v.capture } : {}),
    transfer: transfer.value,
  };
  if (v.tcp !== undefined && v.mode !== 'bridge') throw new UsageError('--tcp is for --mode bridge.');
  if (v.reopen && (v.mode === 'client' || v.mode === 'conform')) throw new UsageError('--reopen is for --mode server or --mode bridge.');
  if (v.mode !== 'conform' && (v.report !== undefined || v.connections !== undefined)) throw new UsageError('--report and --connections are for --mode conform.');
  if (v.sequence !== undefined && v.mode !== 'client') throw new UsageError('--sequence is for --mode client.');
  if (v['sequence-id'] !== undefined && v.sequence === undefined) throw new UsageError('--sequence-id goes with --sequence FILE.');
  if (v.mode === 'conform') {
    const conform = parseConformConfig(v, common);
    if (!conform.ok) throw new UsageError(conform.error);
    return conform.value;
  }
  if (v.mode === 'bridge') {
    if (transfer.value.sendFiles.length > 0 || transfer.value.receiveDir !== undefined) {
      throw new UsageError('--send-file and --receive-dir are for the two ends; a bridge forwards transfers untouched.');
    }
    if (!serial.value) throw new UsageError('--mode bridge needs --serial PATH (and the TCP side at --host/--port).');
    if (v.tcp !== undefined && v.tcp !== 'listen' && v.tcp !== 'connect') throw new UsageError(`--tcp must be listen or connect, got "${v.tcp}".`);
    if (common.password !== undefined || common.askPassword) {
      throw new UsageError('A bridge forwards encrypted packets untouched: give --password to the two ends, not to the bridge.');
    }
    const tcpRole = v.tcp === 'connect' ? 'connect' : 'listen';
    if (tcpRole === 'connect' && common.port === 0) throw new UsageError('--tcp connect needs the server\'s --port, not 0.');
    return { ...common, mode: 'bridge', serial: serial.value, tcpRole, frameTimeoutMs: seconds('--frame-timeout', v['frame-timeout']) };
  }
  if (v.mode === 'server') {
    onlyFor('client', v, ['tls-fingerprint', 'tls-ca', 'list-services']);
    const hasPassword = common.password !== undefined || common.askPassword === true;
    if (v['no-legacy'] && !hasPassword) throw new UsageError('--no-legacy only makes sense with --password.');
    if (v['no-legacy'] && v.legacy) throw new UsageError('Give either --legacy or --no-legacy, not both.');
    if (v.legacy && !hasPassword) throw new UsageError('--legacy needs a password (--password-file, --ask-password, MSP_PASSWORD or --password).');
    if (v['legacy-password-file'] !== undefined && !v.legacy) throw new UsageError('--legacy-password-file goes with --legacy.');
    const remote = parseRemoteServerFlags(v, hasPassword && !v.secure, common.serial !== undefined);
    if (!remote.ok) throw new UsageError(remote.error);
    const legacyPassword = v['legacy-password-file'] !== undefined ? readPasswordFile('--legacy-password-file', v['legacy-password-file']) : undefined;
    if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new UsageError('Give both --tls-cert and --tls-key.');
    const tls =
      v['tls-cert'] !== undefined && v['tls-key'] !== undefined
        ? { certFile: v['tls-cert'], keyFile: v['tls-key'] }
        : v.tls
          ? { selfSigned: true as const }
          : undefined;
    return {
      ...common,
      mode: 'server',
      maxConnections: integer('--max-connections', v['max-connections'], 1, 1_000_000),
      maxPerAddress: integer('--max-per-address', v['max-per-address'], 0, 1_000_000),
      firstFrameTimeoutMs: seconds('--first-frame-timeout', v['first-frame-timeout']),
      maxJunkBytes: integer('--max-junk-bytes', v['max-junk-bytes'], 0, Number.MAX_SAFE_INTEGER),
      frameTimeoutMs: seconds('--frame-timeout', v['frame-timeout']),
      idleTimeoutMs: seconds('--idle-timeout', v['idle-timeout']),
      // --secure is msp-secure.py itself: its scheme is the point.
      allowLegacy: v.legacy || v.secure,
      ...(legacyPassword !== undefined ? { legacyPassword } : {}),
      ...(tls ? { tls } : {}),
      maxQueuedBytes: integer('--max-queued-bytes', v['max-queued-bytes'], 1, 1 << 30),
      ...(remote.value ? { remote: remote.value } : {}),
    };
  }
  onlyFor('server', v, ['no-legacy', 'tls-cert', 'tls-key', 'legacy-password-file']);
  const remote = parseRemoteClientFlags(v);
  if (!remote.ok) throw new UsageError(remote.error);
  const sending = transfer.value.sendFiles.length > 0;
  const tasks = [
    v.message !== undefined && '--message',
    v['list-services'] && '--list-services',
    v.sequence !== undefined && '--sequence',
    sending && '--send-file',
    remote.value && (remote.value.action === 'list' ? '--list-commands' : '--run'),
  ].filter(Boolean);
  if (tasks.length === 0) throw new UsageError('The client needs --message TEXT (or --list-services, --sequence FILE, --send-file PATH, --list-commands, --run NAME).');
  if (tasks.length > 1) throw new UsageError(`Give one of ${tasks.join(', ')}, not several.`);
  if (remote.value && common.serial) throw new UsageError('--list-commands and --run ask a TCP server; not available with --serial yet.');
  if (v['list-services'] && common.serial) throw new UsageError('--list-services asks a TCP server; it is not available with --serial yet.');
  if (common.port === 0 && !common.serial) throw new UsageError('--port 0 only makes sense for a server; give the server\'s port.');
  if (v.legacy && common.password === undefined && !common.askPassword) throw new UsageError('--legacy needs --password (or --secure).');
  const timeoutMs = seconds('--timeout', v.timeout ?? '5');
  if (timeoutMs === 0) throw new UsageError('--timeout must be more than 0 seconds.');
  let fingerprint: string | undefined;
  if (v['tls-fingerprint'] !== undefined) {
    fingerprint = normalizeFingerprint(v['tls-fingerprint']);
    if (!fingerprint) throw new UsageError('--tls-fingerprint must be a SHA-256 fingerprint: 64 hex digits, as the server prints it.');
  }
  const tls =
    v.tls || fingerprint !== undefined || v['tls-ca'] !== undefined
      ? { ...(fingerprint ? { fingerprint } : {}), ...(v['tls-ca'] !== undefined ? { caFile: v['tls-ca'] } : {}) }
      : undefined;
  return {
    ...common,
    mode: 'client',
    message: v.message ?? '',
    listServices: v['list-services'],
    repeat: integer('--repeat', v.repeat, 1, 100_000_000),
    timeoutMs,
    // msp-secure.py's --secure is its scheme with the demo password: keep that meaning.
    legacy: v.legacy || v.secure,
    ...(tls ? { tls } : {}),
    retries: integer('--retry', v.retry, 0, 1000),
    ...(v.sequence !== undefined ? { sequenceFile: v.sequence } : {}),
    ...(v['sequence-id'] !== undefined ? { sequenceId: v['sequence-id'] } : {}),
    ...(remote.value ? { remote: remote.value } : {}),
  };
}

/** Flags of the other mode are mistakes worth a clear word, not silence. */
function onlyFor(mode: 'server' | 'client', values: Record<string, unknown>, flags: string[]): void {
  for (const flag of flags) {
    const value = values[flag];
    if (value !== undefined && value !== false) {
      throw new UsageError(`--${flag} is for --mode ${mode} only.`);
    }
  }
}

type PasswordFlags = { password?: string; 'password-file'?: string; 'ask-password'?: boolean; secure?: boolean };

function passwordFlagsGiven(v: PasswordFlags): string[] {
  const given = [
    v.password !== undefined && '--password',
    v['password-file'] !== undefined && '--password-file',
    v['ask-password'] && '--ask-password',
    v.secure && '--secure',
  ];
  return given.filter((flag): flag is string => typeof flag === 'string');
}

/** The password from --password, --password-file or MSP_PASSWORD (in that order), or none. */
function passwordFrom(v: PasswordFlags, env: Record<string, string | undefined>): string | undefined {
  if (v.password !== undefined) {
    if (v.password === '') throw new UsageError('--password is empty.');
    return v.password;
  }
  if (v['password-file'] !== undefined) return readPasswordFile('--password-file', v['password-file']);
  const fromEnv = env.MSP_PASSWORD;
  if (fromEnv === undefined) return undefined;
  if (fromEnv === '') throw new UsageError('MSP_PASSWORD is set but empty: unset it, or give it a password.');
  return fromEnv;
}

/** A password file's first line, without its line ending (the file may end with a newline). */
function readPasswordFile(flag: string, path: string): string {
  let text: string;
  try {
    // Only the start: a password is short, and a wrong path (a log, a device) must not be read whole.
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(4 * PASSWORD_MAX + 2);
      text = head.subarray(0, readSync(fd, head, 0, head.length, null)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`Cannot read ${flag} ${path}: ${why}.`);
  }
  const password = text.split(/\r?\n/, 1)[0];
  if (password === '') throw new UsageError(`${flag} ${path}: its first line is empty.`);
  if (password.length > PASSWORD_MAX) throw new UsageError(`${flag} ${path}: the password has more than ${PASSWORD_MAX} characters.`);
  return password;
}

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} must be a whole number, got "${text}".`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}.`);
  return n;
}

function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 86_400) {
    throw new UsageError(`${flag} must be a number of seconds (0 to 86400), got "${text}".`);
  }
  return Math.round(n * 1000);
}
