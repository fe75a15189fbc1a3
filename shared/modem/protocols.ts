/** The serial file transfer protocols, as the CLI's --protocol and the GUI name them. */
export const MODEM_PROTOCOLS = ['xmodem', 'xmodem-1k', 'ymodem', 'zmodem'] as const;
export type ModemProtocol = (typeof MODEM_PROTOCOLS)[number];

export function isModemProtocol(value: string): value is ModemProtocol {
  return (MODEM_PROTOCOLS as readonly string[]).includes(value);
}

/** Protocols that carry the file's name (XMODEM does not: the receiver must be given one). */
export function carriesFileName(protocol: ModemProtocol): boolean {
  return protocol === 'ymodem' || protocol === 'zmodem';
}

/** What a transfer reports as it goes (CLI progress and --json, the GUI's list). */
export type ModemEvent =
  | { kind: 'file-start'; name: string; size?: number; offset: number }
  | { kind: 'progress'; name: string; bytes: number; size?: number }
  /** `offered`/`changes`: the name the peer gave and what was changed to make it safe. */
  | { kind: 'file-done'; name: string; bytes: number; path?: string; offered?: string; changes?: string[] }
  | { kind: 'file-skipped'; name: string; reason: string }
  /** A bad block or resend request: the line is noisy, the transfer goes on. */
  | { kind: 'retry'; at: number; reason: string };

/** Bounds on a transfer (the CLI's defaults). */
export const MODEM_DEFAULTS = {
  /** --max-file-size: 1 GiB. */
  maxFileSize: 1 << 30,
  /** How long to wait for the peer before resending; several of these in a row end the transfer. */
  timeoutMs: 10_000,
  /** Resends in a row (no progress between them) before giving up. */
  maxRetries: 10,
} as const;
