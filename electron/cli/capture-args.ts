/**
 * The capture flags: --capture FILE on server, client and bridge; --read FILE to print what a
 * .pcap/.pcapng holds; --mode replay to play a recording's client side against a server.
 */
import { DEFAULT_PORT } from '../../shared/msp/index.ts';

export const CAPTURE_FLAGS = {
  capture: { type: 'string' },
  read: { type: 'string' },
  'as-fast-as-possible': { type: 'boolean', default: false },
} as const;

export const CAPTURE_USAGE = `Captures (pcapng, for Wireshark with docs/wireshark/msp.lua):
  msp --mode server|client|bridge ... --capture FILE.pcapng   record what this process sends and receives
  msp --read FILE [--json]                                    the MSP in a .pcap/.pcapng (tcpdump, Wireshark, ours)
  msp --mode replay --read FILE [--host H] [--port P] [--as-fast-as-possible] [--timeout S]
                      send a recording's client side to a server again and compare its replies
                      with the recorded ones (exit 0: the same, 1: differences, listed)`;

export interface ReadConfig {
  mode: 'read';
  file: string;
  json: boolean;
}

export interface ReplayConfig {
  mode: 'replay';
  file: string;
  host: string;
  port: number;
  json: boolean;
  quiet: boolean;
  /** Send each message once the previous replies came, instead of at the recorded times. */
  asFastAsPossible: boolean;
  /** How long to wait for each reply (ms). */
  timeoutMs: number;
}

interface CaptureValues {
  mode?: string;
  capture?: string;
  read?: string;
  'as-fast-as-possible'?: boolean;
  json?: boolean;
  quiet?: boolean;
  host?: string;
  port?: string;
  timeout?: string;
}

/**
 * --read (alone, or with --mode replay) is its own command; returns it, or undefined when the
 * command line is another mode's. `fail` turns a mistake into the caller's usage error.
 */
export function parseCaptureCommand(
  v: CaptureValues,
  fail: (message: string) => never,
  number: { port: (text: string) => number; seconds: (flag: string, text: string) => number },
): ReadConfig | ReplayConfig | undefined {
  if (v['as-fast-as-possible'] && v.mode !== 'replay') fail('--as-fast-as-possible is for --mode replay.');
  if (v.mode === 'replay') {
    if (v.read === undefined) fail('--mode replay needs --read FILE (a capture made with --capture or the app’s export).');
    if (v.capture !== undefined) fail('--capture records a live link; --mode replay reads one with --read.');
    const timeoutMs = number.seconds('--timeout', v.timeout ?? '5');
    if (timeoutMs === 0) fail('--timeout must be more than 0 seconds.');
    const port = number.port(v.port ?? String(DEFAULT_PORT));
    if (port === 0) fail('--mode replay needs the server’s --port, not 0.');
    return {
      mode: 'replay',
      file: v.read,
      host: v.host ?? '127.0.0.1',
      port,
      json: v.json ?? false,
      quiet: v.quiet ?? false,
      asFastAsPossible: v['as-fast-as-possible'] ?? false,
      timeoutMs,
    };
  }
  if (v.read === undefined) return undefined;
  if (v.mode !== undefined) fail('--read prints a capture on its own; with a --mode, only --mode replay reads one.');
  if (v.capture !== undefined) fail('Give either --read (print a capture) or --capture (record one), not both.');
  return { mode: 'read', file: v.read, json: v.json ?? false };
}
