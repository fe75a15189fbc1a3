/**
 * X/Y/ZMODEM over any Duplex (a serial port, a TCP socket): the one entry point the CLI and
 * the app use. Picks the protocol's sender or receiver and owns the line while it runs.
 */
import type { Duplex } from 'node:stream';
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { MODEM_DEFAULTS, type ModemEvent, type ModemProtocol } from '../../../shared/modem/protocols.ts';
import { fail, type Result } from '../../../shared/result.ts';
import { ModemLine } from './line.ts';
import { checkReceiveDir, type ReceivePolicy } from './receive-dir.ts';
import { openSource, type SourceFile } from './source-file.ts';
import { receiveXmodem, type ReceivedFile } from './xmodem-receiver.ts';
import { sendXmodem } from './xmodem-sender.ts';
import { receiveZmodem } from './zmodem-receiver.ts';
import { sendZmodem } from './zmodem-sender.ts';

export type { ReceivedFile } from './xmodem-receiver.ts';
export type { ReceivePolicy } from './receive-dir.ts';

export interface ModemRunOptions {
  timeoutMs?: number;
  maxRetries?: number;
  onEvent?: (event: ModemEvent) => void;
  /** Aborting stops the transfer (and tells the peer with CANs). */
  signal?: AbortSignal;
  /** ZMODEM sender: unacknowledged bytes in flight. */
  window?: number;
}

function transferOptions(options: ModemRunOptions) {
  return {
    timeoutMs: options.timeoutMs ?? MODEM_DEFAULTS.timeoutMs,
    maxRetries: options.maxRetries ?? MODEM_DEFAULTS.maxRetries,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
}

export async function sendFiles(stream: Duplex, protocol: ModemProtocol, paths: string[], options: ModemRunOptions = {}): Promise<Result<void, ModemError>> {
  if (paths.length === 0) return fail(modemError('MODEM_ERR_FILE', 'No file to send.'));
  const files: SourceFile[] = [];
  try {
    for (const path of paths) {
      const opened = await openSource(path);
      if (!opened.ok) return opened;
      files.push(opened.value);
    }
    const line = new ModemLine(stream, options.signal);
    try {
      const base = transferOptions(options);
      if (protocol === 'zmodem') return await sendZmodem(line, files, { ...base, ...(options.window ? { window: options.window } : {}) });
      return await sendXmodem(line, files, protocol, base);
    } finally {
      line.detach();
    }
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}

/** `xmodemName`: XMODEM carries no name, so the file is saved under this one. */
export async function receiveFiles(
  stream: Duplex,
  protocol: ModemProtocol,
  policy: ReceivePolicy,
  options: ModemRunOptions = {},
  xmodemName?: string,
): Promise<Result<ReceivedFile[], ModemError>> {
  const usable = await checkReceiveDir(policy);
  if (!usable.ok) return usable;
  const inFolder = { ...policy, dir: usable.value };
  const line = new ModemLine(stream, options.signal);
  try {
    const base = transferOptions(options);
    if (protocol === 'zmodem') return await receiveZmodem(line, inFolder, base);
    return await receiveXmodem(line, protocol, inFolder, base, xmodemName);
  } finally {
    line.detach();
  }
}
