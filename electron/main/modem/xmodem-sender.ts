/**
 * XMODEM (checksum or CRC-16, as the receiver asks), XMODEM-1K and YMODEM senders.
 *
 * XMODEM: the receiver sends 'C' (CRC) or NAK (checksum) to start; each block is answered
 * with ACK or NAK; EOT ends the file. YMODEM is a batch: block 0 carries name and size, the
 * data follows in 1K CRC blocks, and an empty block 0 ends the batch.
 */
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { ACK, CAN, CRC_REQUEST, EOT, NAK, encodeBatchHeader, encodeBlock, type BlockCheck } from '../../../shared/modem/xmodem.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import { CANCEL_FLUSH_MS, type ModemLine } from './line.ts';
import type { SourceFile } from './source-file.ts';
import type { TransferOptions } from './transfer-options.ts';

export type XmodemVariant = 'xmodem' | 'xmodem-1k' | 'ymodem';

/** The end (EOT, YMODEM's empty block 0): tries, and how long each waits for its ACK. */
const END_TRIES = 2;
const END_WAIT_MS = 2000;

/**
 * lrzsz's rb and rx flush their input right after every ACK, NAK or 'C' they send. On a cable the
 * line's own delay keeps our answer out of that flush, but on a pty, or with the receiver's
 * machine busy, a block we send at once can arrive first and be thrown away; the receiver then
 * waits in silence and we only learn it when our timeout runs out (10 s by default). So answers
 * that come once per file (block 0, the first data block, EOT, the end of the batch) always wait
 * this long after the receiver's byte, and so does every resend; data blocks start to once the
 * receiver has missed one. On a clean cable that costs nothing: the data blocks never wait.
 */
const TURNAROUND_GUARD_MS = 20;

type Reply = number | 'cancel' | 'timeout' | 'closed' | 'stopped';

/** Whether data blocks wait TURNAROUND_GUARD_MS too: from the receiver's first missed block on. */
interface Pacing {
  dataGuardMs: number;
}

/** The first byte in `wanted` the peer sends (others are line noise), or why none came. Two CANs in a row cancel. */
export async function readReply(line: ModemLine, wanted: readonly number[], timeoutMs: number): Promise<Reply> {
  const deadline = performance.now() + timeoutMs;
  let cans = 0;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return 'timeout';
    const got = await line.read(left);
    if (typeof got === 'string') return got;
    for (let i = 0; i < got.length; i++) {
      const b = got[i]!;
      if (b === CAN) {
        if (++cans >= 2) return 'cancel';
        continue;
      }
      cans = 0;
      if (wanted.includes(b)) {
        line.unread(got.subarray(i + 1));
        return b;
      }
    }
  }
}

export function replyError(reply: Exclude<Reply, number>, waitingFor: string): ModemError {
  switch (reply) {
    case 'cancel':
      return modemError('MODEM_ERR_CANCELLED', `The receiver cancelled the transfer (CAN CAN) while we waited for ${waitingFor}.`);
    case 'closed':
      return modemError('MODEM_ERR_CLOSED', `The line closed while we waited for ${waitingFor}.`);
    case 'stopped':
      return modemError('MODEM_ERR_STOPPED', 'Stopped.');
    case 'timeout':
      return modemError('MODEM_ERR_TIMEOUT', `No answer from the receiver while we waited for ${waitingFor}.`);
  }
}

/** Sends CAN CAN... and backspaces over them, the conventional way to abort X/YMODEM (and waits until they have left: the port is closed next). */
export async function sendCancel(line: ModemLine): Promise<void> {
  await line.writeThrough(Uint8Array.from([CAN, CAN, CAN, CAN, CAN, CAN, CAN, CAN, 8, 8, 8, 8, 8, 8, 8, 8]), CANCEL_FLUSH_MS);
}

export async function sendXmodem(
  line: ModemLine,
  files: SourceFile[],
  variant: XmodemVariant,
  options: TransferOptions,
): Promise<Result<void, ModemError>> {
  const result = await sendAll(line, files, variant, options);
  if (!result.ok && result.error.code !== 'MODEM_ERR_CANCELLED' && result.error.code !== 'MODEM_ERR_CLOSED') await sendCancel(line);
  return result;
}

async function sendAll(line: ModemLine, files: SourceFile[], variant: XmodemVariant, options: TransferOptions): Promise<Result<void, ModemError>> {
  if (variant !== 'ymodem' && files.length !== 1) {
    return fail(modemError('MODEM_ERR_FILE', 'XMODEM sends exactly one file (YMODEM and ZMODEM send several).'));
  }
  const pacing: Pacing = { dataGuardMs: 0 };
  for (const file of files) {
    const start = await waitForStart(line, options);
    if (!start.ok) return start;
    const check: BlockCheck = variant === 'ymodem' ? 'crc' : start.value;
    if (variant === 'ymodem') {
      const header = encodeBatchHeader({ name: file.name, size: file.size, mtime: file.mtimeSeconds });
      const sent = await sendBlock(line, encodeBlock(0, header.data, header.size, 'crc', 0), options, pacing, { what: 'block 0', first: true });
      if (!sent.ok) return sent;
      // After block 0 the receiver asks for the data with a new 'C'.
      const again = await readReply(line, [CRC_REQUEST], options.timeoutMs * options.maxRetries);
      if (typeof again !== 'number') return fail(replyError(again, "the receiver's 'C' after block 0"));
    }
    const done = await sendData(line, file, variant, check, options, pacing);
    if (!done.ok) return done;
  }
  if (variant === 'ymodem') {
    // An empty block 0 ends the batch.
    const start = await readReply(line, [CRC_REQUEST, NAK], options.timeoutMs * options.maxRetries);
    if (typeof start !== 'number') return fail(replyError(start, 'the request for the next file'));
    const end = encodeBatchHeader(undefined);
    const endOptions = { ...options, maxRetries: 0, timeoutMs: Math.min(options.timeoutMs, END_WAIT_MS) };
    const ended = await sendBlock(line, encodeBlock(0, end.data, 128, 'crc', 0), endOptions, pacing, { what: 'the end of the batch', first: true });
    // As with EOT: every file was confirmed, a lost last ACK changes nothing.
    if (!ended.ok && ended.error.code !== 'MODEM_ERR_TOO_MANY_ERRORS') return ended;
  }
  return ok(undefined);
}

/** The receiver's go: 'C' asks for CRC-16, NAK for checksums. */
async function waitForStart(line: ModemLine, options: TransferOptions): Promise<Result<BlockCheck, ModemError>> {
  const reply = await readReply(line, [CRC_REQUEST, NAK], options.timeoutMs * 6);
  if (typeof reply !== 'number') return fail(replyError(reply, "the receiver's start ('C' or NAK)"));
  line.poll(); // more 'C's it sent while we were not there yet: not requests for a resend
  return ok(reply === CRC_REQUEST ? 'crc' : 'checksum');
}

async function sendData(line: ModemLine, file: SourceFile, variant: XmodemVariant, check: BlockCheck, options: TransferOptions, pacing: Pacing): Promise<Result<void, ModemError>> {
  options.onEvent?.({ kind: 'file-start', name: file.name, size: file.size, offset: 0 });
  let position = 0;
  let seq = 1;
  while (position < file.size) {
    const left = file.size - position;
    const size = variant !== 'xmodem' && left > 128 ? 1024 : 128;
    const data = await file.read(position, size);
    const sent = await sendBlock(line, encodeBlock(seq, data, size, check), options, pacing, { what: `block ${seq}`, at: position, first: position === 0 });
    if (!sent.ok) return sent;
    position += data.length;
    seq = (seq + 1) & 0xff;
    options.onEvent?.({ kind: 'progress', name: file.name, bytes: position, size: file.size });
  }
  // EOT until ACKed. Some receivers (lrzsz's rx) flush their output right after the last ACK,
  // so it may never arrive: every block was acknowledged, so after a few tries that is success.
  for (let attempt = 0; attempt < END_TRIES; attempt++) {
    await line.sinceLastArrival(TURNAROUND_GUARD_MS);
    await line.write(Uint8Array.of(EOT));
    const reply = await readReply(line, [ACK, NAK], Math.min(options.timeoutMs, END_WAIT_MS));
    if (reply === ACK) break;
    if (reply === 'cancel' || reply === 'closed' || reply === 'stopped') return fail(replyError(reply, 'the ACK of EOT'));
    if (attempt === END_TRIES - 1) options.onEvent?.({ kind: 'retry', at: position, reason: 'no ACK for EOT; every block was acknowledged, so the file is complete' });
  }
  options.onEvent?.({ kind: 'file-done', name: file.name, bytes: position });
  return ok(undefined);
}

interface BlockInfo {
  /** For messages: "block 7", "block 0". */
  what: string;
  /** The block's offset in the file, for retry events. */
  at?: number;
  /** A file's first block (or a YMODEM block 0): answered once per file, and 'C' asks for it again. */
  first?: boolean;
}

/** Sends a block until it is ACKed; NAK, 'C' (the receiver missed it and asks again) and silence resend it. */
async function sendBlock(line: ModemLine, block: Uint8Array, options: TransferOptions, pacing: Pacing, info: BlockInfo): Promise<Result<void, ModemError>> {
  const { what, at = 0, first = false } = info;
  // Only a first block is asked for again with 'C'; later a stray 'C' is noise.
  const answers = first ? [ACK, NAK, CRC_REQUEST] : [ACK, NAK];
  let reason = `${what} resent`;
  for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
    if (attempt > 0) options.onEvent?.({ kind: 'retry', at, reason });
    await line.sinceLastArrival(first || attempt > 0 ? TURNAROUND_GUARD_MS : pacing.dataGuardMs);
    // Whatever came before this block is stale: a doubled ACK must not pass for this block's.
    line.poll();
    await line.write(block);
    const reply = await readReply(line, answers, options.timeoutMs);
    if (reply === ACK) return ok(undefined);
    if (reply === 'cancel' || reply === 'closed' || reply === 'stopped') return fail(replyError(reply, `the ACK of ${what}`));
    // NAK, a repeated 'C' or silence: the block may have gone in the receiver's flush.
    if (pacing.dataGuardMs === 0) {
      pacing.dataGuardMs = TURNAROUND_GUARD_MS;
      reason = `${what} resent; from now on each block waits ${TURNAROUND_GUARD_MS} ms after the receiver's answer, in case the receiver flushed it`;
    } else {
      reason = `${what} resent`;
    }
  }
  return fail(modemError('MODEM_ERR_TOO_MANY_ERRORS', `${what} was refused ${options.maxRetries + 1} times; the line is too noisy.`));
}
