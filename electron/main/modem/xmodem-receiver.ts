/**
 * XMODEM (CRC-16, falling back to checksums for old senders), XMODEM-1K and YMODEM receivers.
 * Files go through receive-dir.ts (safe names, .part until complete, size bounds). XMODEM
 * carries no name, so its file's name is given by our user.
 */
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { printable } from '../../../shared/safe-name.ts';
import {
  ACK,
  CAN,
  CRC_REQUEST,
  EOT,
  NAK,
  STX,
  SOH,
  blockLength,
  checkBlock,
  decodeBatchHeader,
  type BlockCheck,
} from '../../../shared/modem/xmodem.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { ModemLine } from './line.ts';
import { openIncoming, type IncomingFile, type ReceivePolicy } from './receive-dir.ts';
import type { TransferOptions } from './transfer-options.ts';
import { replyError, sendCancel, type XmodemVariant } from './xmodem-sender.ts';

/** Where the received files went. */
export interface ReceivedFile {
  name: string;
  path: string;
  bytes: number;
}

type BlockRead =
  | { kind: 'block'; seq: number; data: Uint8Array }
  | { kind: 'eot' }
  | { kind: 'bad'; reason: string }
  | { kind: 'cancel' }
  | { kind: 'timeout' }
  | { kind: 'closed' }
  | { kind: 'stopped' };

/** How long the line must stay quiet after an EOT for it to count (lrzsz's rx waits the same). */
const EOT_QUIET_MS = 100;

/**
 * Waits for the next block or EOT. The sender sends nothing between blocks, so any other byte
 * where a block should start means we are inside a block that lost its first byte: that is a
 * bad block (purge, NAK), never something to skip through looking for SOH/STX/EOT, which
 * would read the block's data as control bytes (a 0x04 in it ended the file early).
 */
async function readBlock(line: ModemLine, check: BlockCheck, timeoutMs: number): Promise<BlockRead> {
  const deadline = performance.now() + timeoutMs;
  let cans = 0;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return { kind: 'timeout' };
    const got = await line.readExactly(1, left);
    if (typeof got === 'string') return { kind: got };
    const b = got[0]!;
    if (b === CAN) {
      if (++cans >= 2) return { kind: 'cancel' };
      continue;
    }
    if (b === EOT) {
      // A real EOT is followed by silence; one with bytes after it is inside a headless block.
      const after = await line.readExactly(1, EOT_QUIET_MS);
      if (after === 'timeout') return { kind: 'eot' };
      if (typeof after === 'string') return { kind: after };
      return { kind: 'bad', reason: 'bytes where a block should start' };
    }
    if (b !== SOH && b !== STX) return { kind: 'bad', reason: 'bytes where a block should start' };
    const length = blockLength(b, check);
    // A block follows its first byte at line speed; one second covers 1K at 9600 baud with room.
    const rest = await line.readExactly(length - 1, Math.max(1500, timeoutMs / 4));
    if (typeof rest === 'string') return rest === 'timeout' ? { kind: 'bad', reason: 'a short block' } : { kind: rest };
    const block = new Uint8Array(length);
    block[0] = b;
    block.set(rest, 1);
    const checked = checkBlock(block, check);
    if (!checked.ok) return { kind: 'bad', reason: checked.reason === 'check' ? 'a block failed its check' : 'a block with a garbled number' };
    return { kind: 'block', seq: checked.seq, data: checked.data };
  }
}

function blockError(read: Exclude<BlockRead, { kind: 'block' | 'eot' | 'bad' }>, what: string): ModemError {
  return replyError(read.kind, what);
}

export async function receiveXmodem(
  line: ModemLine,
  variant: XmodemVariant,
  policy: ReceivePolicy,
  options: TransferOptions,
  xmodemName?: string,
): Promise<Result<ReceivedFile[], ModemError>> {
  const result = variant === 'ymodem' ? await receiveBatch(line, policy, options) : await receiveSingle(line, variant, policy, options, xmodemName ?? '');
  if (!result.ok && result.error.code !== 'MODEM_ERR_CANCELLED' && result.error.code !== 'MODEM_ERR_CLOSED') await sendCancel(line);
  return result;
}

async function receiveSingle(
  line: ModemLine,
  variant: XmodemVariant,
  policy: ReceivePolicy,
  options: TransferOptions,
  name: string,
): Promise<Result<ReceivedFile[], ModemError>> {
  const opened = await openIncoming(policy, name, undefined, false);
  if (!opened.ok) return opened;
  const file = opened.value;
  options.onEvent?.({ kind: 'file-start', name: file.name, offset: 0 });
  // Ask with 'C' (CRC); a sender that only knows checksums ignores it, so after three
  // unanswered 'C's plain XMODEM asks with NAK instead.
  let check: BlockCheck = 'crc';
  let started = false;
  for (let ask = 0; ask <= options.maxRetries && !started; ask++) {
    if (variant === 'xmodem' && ask === 3) check = 'checksum';
    await line.write(Uint8Array.of(check === 'crc' ? CRC_REQUEST : NAK));
    const first = await readBlock(line, check, Math.min(3000, options.timeoutMs));
    if (first.kind === 'timeout') continue;
    if (first.kind === 'bad') {
      await line.purge(100);
      continue;
    }
    started = true;
    const result = await receiveBlocks({ line, file, check, first, options, batch: false });
    if (!result.ok) {
      await file.close();
      return result;
    }
    const finished = await file.finish();
    if (!finished.ok) return finished;
    options.onEvent?.({ kind: 'file-done', name: file.name, bytes: result.value, path: finished.value });
    return ok([{ name: file.name, path: finished.value, bytes: result.value }]);
  }
  await file.discard();
  return fail(modemError('MODEM_ERR_TIMEOUT', 'The sender never started (no block after our requests).'));
}

/**
 * The data blocks of one file, from `first` (already read) to EOT. Returns the bytes written.
 * A block repeated (our ACK was lost) is ACKed again; one out of order means we are lost: cancel.
 * A block is written while its ACK goes out (the sender waits for that ACK, so a disk write
 * before it would idle the line for a trip through the thread pool per block); the write is
 * checked before the next block is taken and before EOT is ACKed, so a failed write still
 * ends the transfer, one block later at most.
 */
/** One file's data blocks: where they come from and go, and how they are checked. */
interface BlockRun {
  line: ModemLine;
  file: IncomingFile;
  check: BlockCheck;
  /** The first block, already read. */
  first: BlockRead;
  options: TransferOptions;
  /** YMODEM (block 0 came first, EOT is asked for twice), not XMODEM. */
  batch: boolean;
  /** The size block 0 gave, if it gave one. */
  size?: number;
}

async function receiveBlocks(run: BlockRun): Promise<Result<number, ModemError>> {
  const writer = { last: Promise.resolve<Result<void, ModemError>>(ok(undefined)) };
  try {
    return await receiveBlocksWriting(run, writer);
  } finally {
    await writer.last; // nothing is closed under a write in flight
  }
}

async function receiveBlocksWriting(
  { line, file, check, first, options, batch, size }: BlockRun,
  writer: { last: Promise<Result<void, ModemError>> },
): Promise<Result<number, ModemError>> {
  let expected = 1;
  let bytes = 0;
  let errors = 0;
  let eots = 0;
  let read = first;
  for (;;) {
    switch (read.kind) {
      case 'block':
        if (read.seq === expected) {
          // YMODEM: keep no more than the size block 0 gave (the rest is padding).
          const keep = size === undefined ? read.data : read.data.subarray(0, Math.max(0, Math.min(read.data.length, size - bytes)));
          const written = await writer.last;
          if (!written.ok) return written;
          writer.last = file.write(keep);
          bytes += keep.length;
          expected = (expected + 1) & 0xff;
          errors = 0;
          // The sender waits for this ACK, so what came after the block is stale (a doubled
          // byte, a resend that crossed our answer): left in, it would look like a bad block.
          line.poll();
          await line.write(Uint8Array.of(ACK));
          options.onEvent?.({ kind: 'progress', name: file.name, bytes, ...(size !== undefined ? { size } : {}) });
        } else if (read.seq === ((expected - 1) & 0xff) || (batch && bytes === 0 && read.seq === 0)) {
          line.poll();
          await line.write(Uint8Array.of(ACK)); // a repeat: our ACK was lost
        } else {
          return fail(modemError('MODEM_ERR_PROTOCOL', `Block ${read.seq} arrived when block ${expected} was due; the transfer is out of step.`));
        }
        break;
      case 'eot':
        // YMODEM asks for EOT twice (NAK the first) so a noise byte cannot end a file.
        if (batch && eots++ === 0) {
          await line.write(Uint8Array.of(NAK));
          break;
        }
        const written = await writer.last;
        if (!written.ok) return written;
        await line.write(Uint8Array.of(ACK));
        return ok(bytes);
      case 'bad':
      case 'timeout':
        if (++errors > options.maxRetries) {
          return fail(modemError('MODEM_ERR_TOO_MANY_ERRORS', `${options.maxRetries + 1} bad or missing blocks in a row; the line is too noisy.`));
        }
        options.onEvent?.({ kind: 'retry', at: bytes, reason: read.kind === 'bad' ? read.reason : 'no block in time' });
        if (read.kind === 'bad') await line.purge(100);
        await line.write(Uint8Array.of(NAK));
        break;
      default:
        return fail(blockError(read, 'the next block'));
    }
    read = await readBlock(line, check, options.timeoutMs);
  }
}

async function receiveBatch(line: ModemLine, policy: ReceivePolicy, options: TransferOptions): Promise<Result<ReceivedFile[], ModemError>> {
  const received: ReceivedFile[] = [];
  for (;;) {
    // Block 0: the next file's name and size, or an empty name at the end of the batch.
    let header: Uint8Array | undefined;
    for (let ask = 0; ask <= options.maxRetries && !header; ask++) {
      await line.write(Uint8Array.of(CRC_REQUEST));
      const read = await readBlock(line, 'crc', Math.min(3000, options.timeoutMs));
      if (read.kind === 'block' && read.seq === 0) header = read.data;
      else if (read.kind === 'eot') await line.write(Uint8Array.of(ACK)); // the end of the previous file, again
      else if (read.kind === 'bad') await line.purge(100);
      else if (read.kind === 'cancel' || read.kind === 'closed' || read.kind === 'stopped') return fail(blockError(read, 'block 0'));
    }
    if (!header) return fail(modemError('MODEM_ERR_TIMEOUT', 'No YMODEM block 0 (file name) from the sender.'));
    const info = decodeBatchHeader(header);
    if (info.name === '') {
      await line.write(Uint8Array.of(ACK));
      return ok(received);
    }
    const opened = await openIncoming(policy, info.name, info.size, false);
    if (!opened.ok) return opened;
    const file = opened.value;
    options.onEvent?.({ kind: 'file-start', name: file.name, offset: 0, ...(info.size !== undefined ? { size: info.size } : {}) });
    await line.write(Uint8Array.of(ACK, CRC_REQUEST));
    const first = await readBlock(line, 'crc', options.timeoutMs);
    const result = await receiveBlocks({ line, file, check: 'crc', first, options, batch: true, ...(info.size !== undefined ? { size: info.size } : {}) });
    if (!result.ok) {
      await file.close();
      return result;
    }
    const finished = await file.finish(info.size);
    if (!finished.ok) return finished;
    options.onEvent?.({ kind: 'file-done', name: file.name, bytes: result.value, path: finished.value, offered: printable(info.name), changes: file.changes });
    received.push({ name: file.name, path: finished.value, bytes: result.value });
  }
}
