/**
 * Command-line flags, compatible with msp.py / msp-secure.py and extended.
 * Parsing never throws: bad input becomes a UsageError, printed as one line with exit code 2.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../../shared/msp/index.ts';

export interface CommonConfig {
  host: string;
  port: number;
  json: boolean;
  quiet: boolean;
  password?: string;
  /** True when the password is the public demonstration one (--secure). */
  demoPassword: boolean;
  /** --legacy: msp-secure.py's AES-CBC scheme. */
  legacy: boolean;
}

export interface ServerConfig extends CommonConfig {
  mode: 'server';
  maxConnections: number;
  frameTimeoutMs: number;
  idleTimeoutMs: number;
  /** A client that lets more than this many of our bytes pile up unread is disconnected. */
  maxQueuedBytes: number;
}

export interface ClientConfig extends CommonConfig {
  mode: 'client';
  message: string;
  repeat: number;
  timeoutMs: number;
  /** Connection attempts after the first (also after a link that drops), with growing pauses. */
  retries: number;
}

export type Config = ServerConfig | ClientConfig | { mode: 'help' };

export class UsageError extends Error {}

export const USAGE = `Usage:
  msp --mode server [--host 127.0.0.1] [--port 9009] [--password PW [--legacy] | --secure]
                    [--max-connections N] [--frame-timeout S] [--idle-timeout S] [--max-queued-bytes N]
                    [--json] [--quiet]
  msp --mode client [--host 127.0.0.1] [--port 9009] --message TEXT [--repeat N] [--timeout S] [--retry N]
                    [--password PW --legacy | --secure] [--json] [--quiet]

  --host H            server: address to listen on (0.0.0.0 = every interface); client: server to connect to
  --port P            TCP port, 0..65535 (server: 0 picks a free port)             [9009]
  --message TEXT      client: the text to send as DATA
  --repeat N          client: send it N times, each after the previous ACK         [1]
  --timeout S         client: seconds to wait for connecting and for each ACK      [5]
  --retry N           client: reconnect up to N times (pauses 0.1 s, 0.2 s, ... 5 s) when the
                      connection fails or drops; the unACKed message is sent again  [0]
  --password PW       encrypt (client) / decrypt (server) with this password
  --legacy            use msp-secure.py's AES-256-CBC scheme (weak, for the original only)
  --secure            msp-secure.py's public demonstration password (no protection at all)
  --max-connections N server: refuse clients beyond N                              [20000]
  --frame-timeout S   server: drop a client that stops mid-frame for S seconds     [10]
  --idle-timeout S    server: drop a client silent for S seconds (0 = never)       [0]
  --max-queued-bytes N server: drop a client that leaves over N bytes of ours unread [1048576]
  --json              one JSON object per line for each event
  --quiet             print nothing per packet
  --help              this text`;

export function parseCommandLine(argv: string[]): Config {
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
        timeout: { type: 'string', default: '5' },
        password: { type: 'string' },
        secure: { type: 'boolean', default: false },
        legacy: { type: 'boolean', default: false },
        'max-connections': { type: 'string', default: '20000' },
        'frame-timeout': { type: 'string', default: '10' },
        'idle-timeout': { type: 'string', default: '0' },
        'max-queued-bytes': { type: 'string', default: String(1 << 20) },
        retry: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) return { mode: 'help' };
  if (v.mode !== 'server' && v.mode !== 'client') {
    throw new UsageError(v.mode === undefined ? 'Say --mode server or --mode client.' : `Unknown --mode "${v.mode}": use server or client.`);
  }
  if (v.secure && v.password !== undefined) throw new UsageError('Give either --password or --secure, not both.');
  if (v.host.trim() === '') throw new UsageError('--host is empty.');
  const password = v.secure ? undefined : v.password;
  if (password === '') throw new UsageError('--password is empty.');
  const common: CommonConfig = {
    host: v.host,
    port: integer('--port', v.port, 0, 65535),
    json: v.json,
    quiet: v.quiet,
    password: v.secure ? 'MinokamoSecure2024' : password,
    demoPassword: v.secure,
    legacy: v.legacy || v.secure,
  };
  if (v.mode === 'server') {
    return {
      ...common,
      mode: 'server',
      maxConnections: integer('--max-connections', v['max-connections'], 1, 1_000_000),
      frameTimeoutMs: seconds('--frame-timeout', v['frame-timeout']),
      idleTimeoutMs: seconds('--idle-timeout', v['idle-timeout']),
      maxQueuedBytes: integer('--max-queued-bytes', v['max-queued-bytes'], 1, 1 << 30),
    };
  }
  if (v.message === undefined) throw new UsageError('The client needs --message TEXT.');
  if (common.port === 0) throw new UsageError('--port 0 only makes sense for a server; give the server\'s port.');
  if (common.password !== undefined && !common.legacy) {
    throw new UsageError(
      'Authenticated secure sessions are not available yet: add --legacy to use msp-secure.py\'s scheme (weak, for the original only).',
    );
  }
  const timeoutMs = seconds('--timeout', v.timeout);
  if (timeoutMs === 0) throw new UsageError('--timeout must be more than 0 seconds.');
  return {
    ...common,
    mode: 'client',
    message: v.message,
    repeat: integer('--repeat', v.repeat, 1, 100_000_000),
    timeoutMs,
    retries: integer('--retry', v.retry, 0, 1000),
  };
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
