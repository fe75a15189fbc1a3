/**
 * ZMODEM receiver. Answers ZRQINIT with ZRINIT (full duplex, CRC-32), takes each ZFILE
 * offer into receive-dir.ts (resuming an existing .part with ZRPOS at its size), writes
 * only subpackets whose CRC checks at exactly the position it expects, and on any error asks
 * for a resend with ZRPOS, then ignores everything until a ZDATA at that position. It never
 * runs a command (ZCOMMAND ends the session) and never writes more than --max-file-size.
 */
import { modemError, type ModemError } from '../../../shared/errors/modem.ts';
import { printable } from '../../../shared/safe-name.ts';
import { decodeBatchHeader } from '../../../shared/modem/xmodem.ts';
import {
  CANFC32,
  CANFDX,
  CANOVIO,
  ESCCTL,
  ZCRCE,
  ZCRCQ,
  ZCRCW,
  ZFrame,
  encodeHexHeader,
  flagsHeader,
  headerPosition,
  positionHeader,
} from '../../../shared/modem/zmodem.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { ModemLine } from './line.ts';
import { openIncoming, type IncomingFile, type ReceivePolicy } from './receive-dir.ts';
import type { TransferOptions } from './transfer-options.ts';
import type { ReceivedFile } from './xmodem-receiver.ts';
import { ZmodemChannel } from './zmodem-channel.ts';
import { channelError, sendZmodemCancel } from './zmodem-common.ts';

export interface ZmodemReceiveOptions extends TransferOptions {
  /** Ask the sender to escape every control character (for lines that eat some). */
  escapeControl?: boolean;
  /** Continue an existing .part from its size (default true). */
  resume?: boolean;
}

export async function receiveZmodem(line: ModemLine, policy: ReceivePolicy, options: ZmodemReceiveOptions): Promise<Result<ReceivedFile[], ModemError>> {
  const receiver = new ZmodemReceiver(new ZmodemChannel(line), policy, options);
  const result = await receiver.run();
  await receiver.closeFile();
  if (!result.ok && result.error.code !== 'MODEM_ERR_CANCELLED' && result.error.code !== 'MODEM_ERR_CLOSED') await sendZmodemCancel(line);
  return result;
}

/** What the receiver is waiting for. */
type Phase =
  | { kind: 'offer' } // ZFILE (or ZFIN)
  | { kind: 'file-info' } // the subpacket after ZFILE
  | { kind: 'sinit' } // the subpacket after ZSINIT
  | { kind: 'data' } // subpackets of a ZDATA at our position
  | { kind: 'resync' }; // we sent ZRPOS: ignore all until ZDATA at our position

class ZmodemReceiver {
  private phase: Phase = { kind: 'offer' };
  private file: IncomingFile | undefined;
  private offered = '';
  private position = 0;
  private size: number | undefined;
  private readonly received: ReceivedFile[] = [];
  private errorsInRow = 0;
  private lastProgressPosition = -1;

  constructor(
    private readonly channel: ZmodemChannel,
    private readonly policy: ReceivePolicy,
    private readonly options: ZmodemReceiveOptions,
  ) {}

  async closeFile(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }

  private hex(type: number, p: number[]): Promise<void> {
    return this.channel.write(encodeHexHeader(type, p));
  }

  private sendZrinit(): Promise<void> {
    const flags = CANFDX | CANOVIO | CANFC32 | (this.options.escapeControl ? ESCCTL : 0);
    return this.hex(ZFrame.ZRINIT, flagsHeader(flags));
  }

  /** Asks for a resend from our position and ignores everything until the sender gets there. */
  private async resync(reason: string): Promise<Result<void, ModemError>> {
    if (++this.errorsInRow > this.options.maxRetries * 3) {
      return fail(modemError('MODEM_ERR_TOO_MANY_ERRORS', `Too many errors in a row (${reason}); the line is too noisy.`));
    }
    this.options.onEvent?.({ kind: 'retry', at: this.position, reason });
    this.phase = { kind: 'resync' };
    this.channel.reader.hunt();
    await this.hex(ZFrame.ZRPOS, positionHeader(this.position));
    return ok(undefined);
  }

  async run(): Promise<Result<ReceivedFile[], ModemError>> {
    await this.sendZrinit();
    let silences = 0;
    for (;;) {
      const event = await this.channel.next(this.options.timeoutMs);
      if (event.kind === 'timeout') {
        if (++silences > this.options.maxRetries) {
          return fail(modemError('MODEM_ERR_TIMEOUT', this.file ? `The sender went silent during ${this.file.name}; the part received is kept for a resume.` : 'No ZMODEM sender started.'));
        }
        // Say again what we are waiting for.
        if (this.file) {
          this.phase = { kind: 'resync' };
          this.channel.reader.hunt();
          await this.hex(ZFrame.ZRPOS, positionHeader(this.position));
        } else await this.sendZrinit();
        continue;
      }
      silences = 0;
      if (event.kind === 'closed' || event.kind === 'stopped' || event.kind === 'cancel') return fail(channelError(event, 'the sender'));
      if (event.kind === 'error') {
        if (this.phase.kind === 'data') {
          const r = await this.resync(event.what === 'data' ? 'a subpacket failed its CRC' : 'a garbled header');
          if (!r.ok) return r;
        } else if (this.phase.kind === 'file-info') {
          // The offer arrived garbled: ZNAK asks for it again.
          this.phase = { kind: 'offer' };
          await this.hex(ZFrame.ZNAK, [0, 0, 0, 0]);
        }
        continue;
      }
      if (event.kind === 'data') {
        const r = await this.onData(event.data, event.end);
        if (!r.ok) return r;
        continue;
      }
      const done = await this.onHeader(event.type, event.p);
      if (!done.ok) return done;
      if (done.value) return ok(this.received);
    }
  }

  /** Returns true when the session is over. */
  private async onHeader(type: number, p: number[]): Promise<Result<boolean, ModemError>> {
    switch (type) {
      case ZFrame.ZRQINIT:
        if (!this.file) await this.sendZrinit();
        return ok(false);
      case ZFrame.ZSINIT:
        this.phase = { kind: 'sinit' };
        return ok(false);
      case ZFrame.ZFILE:
        if (this.file) {
          // The sender did not hear our ZRPOS answer to this same offer: say it again.
          if (this.phase.kind !== 'data') await this.hex(ZFrame.ZRPOS, positionHeader(this.position));
          return ok(false);
        }
        this.phase = { kind: 'file-info' };
        return ok(false);
      case ZFrame.ZDATA: {
        if (!this.file) {
          await this.sendZrinit();
          return ok(false);
        }
        const at = headerPosition(p);
        if (at !== this.position) {
          const r = await this.resync(`data for ${at} when ${this.position} was due`);
          return r.ok ? ok(false) : r;
        }
        this.phase = { kind: 'data' };
        return ok(false);
      }
      case ZFrame.ZEOF: {
        if (!this.file) {
          await this.sendZrinit();
          return ok(false);
        }
        // A ZEOF for another position is stale (data we have not got yet is still coming or was lost).
        if (headerPosition(p) !== this.position) return ok(false);
        const r = await this.finishFile();
        if (!r.ok) return r;
        await this.sendZrinit();
        return ok(false);
      }
      case ZFrame.ZFIN:
        await this.hex(ZFrame.ZFIN, [0, 0, 0, 0]);
        // "OO" may follow; we do not wait for it.
        return ok(true);
      case ZFrame.ZCOMMAND:
        return fail(modemError('MODEM_ERR_PROTOCOL', 'The sender asked us to run a command (ZCOMMAND); we never do. Transfer cancelled.'));
      case ZFrame.ZFREECNT:
        await this.hex(ZFrame.ZACK, positionHeader(0));
        return ok(false);
      case ZFrame.ZABORT:
      case ZFrame.ZCAN:
        await this.hex(ZFrame.ZFIN, [0, 0, 0, 0]);
        return fail(modemError('MODEM_ERR_CANCELLED', 'The sender aborted the transfer.'));
      default:
        return ok(false);
    }
  }

  private async onData(data: Uint8Array, end: number): Promise<Result<void, ModemError>> {
    switch (this.phase.kind) {
      case 'sinit':
        this.phase = { kind: 'offer' };
        await this.hex(ZFrame.ZACK, positionHeader(0));
        return ok(undefined);
      case 'file-info':
        return this.onOffer(data);
      case 'data': {
        if (!this.file) return ok(undefined);
        const written = await this.file.write(data);
        if (!written.ok) return written;
        this.position += data.length;
        this.errorsInRow = 0;
        if (this.position !== this.lastProgressPosition) {
          this.lastProgressPosition = this.position;
          this.options.onEvent?.({ kind: 'progress', name: this.file.name, bytes: this.position, ...(this.size !== undefined ? { size: this.size } : {}) });
        }
        if (end === ZCRCW || end === ZCRCQ) await this.hex(ZFrame.ZACK, positionHeader(this.position));
        if (end === ZCRCW || end === ZCRCE) this.phase = { kind: 'offer' };
        return ok(undefined);
      }
      default:
        return ok(undefined); // stale data after an error, or from a frame we did not want
    }
  }

  private async onOffer(data: Uint8Array): Promise<Result<void, ModemError>> {
    const info = decodeBatchHeader(data);
    this.offered = info.name;
    const opened = await openIncoming(this.policy, info.name, info.size, this.options.resume ?? true);
    if (!opened.ok) {
      // An unsafe name or a file too large: skip this one, the batch goes on.
      this.options.onEvent?.({ kind: 'file-skipped', name: printable(info.name), reason: opened.error.message });
      this.phase = { kind: 'offer' };
      await this.hex(ZFrame.ZSKIP, [0, 0, 0, 0]);
      return ok(undefined);
    }
    this.file = opened.value;
    this.size = info.size;
    this.position = this.file.offset;
    this.lastProgressPosition = -1;
    this.errorsInRow = 0;
    this.phase = { kind: 'resync' };
    // The sender waits for this: it goes before anything else.
    const answered = this.hex(ZFrame.ZRPOS, positionHeader(this.position));
    this.options.onEvent?.({ kind: 'file-start', name: this.file.name, offset: this.position, ...(info.size !== undefined ? { size: info.size } : {}) });
    await answered;
    return ok(undefined);
  }

  private async finishFile(): Promise<Result<void, ModemError>> {
    const file = this.file!;
    this.file = undefined;
    this.phase = { kind: 'offer' };
    const finished = await file.finish();
    if (!finished.ok) return finished;
    this.options.onEvent?.({
      kind: 'file-done',
      name: file.name,
      bytes: this.position,
      path: finished.value,
      offered: printable(this.offered),
      changes: file.changes,
    });
    this.received.push({ name: file.name, path: finished.value, bytes: this.position });
    return ok(undefined);
  }
}

