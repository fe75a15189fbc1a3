/**
 * What the Packets panel asks of main: the saved-packet library (packets.json beside
 * settings.json, written whole to a temporary file and renamed over), sending a saved packet
 * on the open link, and running one sequence at a time on it. AppBackend owns one and tells it
 * what the link receives and when the link goes; nothing here knows which kind of link it is.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  EMPTY_LIBRARY,
  LIBRARY_MAX_BYTES,
  describeIssue,
  libraryFileSchema,
  parseLibrary,
  serializeLibrary,
  type PacketLibrary,
  type PacketLibraryInput,
} from '../../../shared/automation/packets.ts';
import { resolveTemplate } from '../../../shared/automation/template.ts';
import type { EventMessage } from '../../../shared/ipc/contract.ts';
import type { LoadedLibrary, SequenceProgress } from '../../../shared/ipc/packets.ts';
import { appError, fail, ok, type Result } from '../../../shared/result.ts';
import { openedPacket, sendOutgoing } from '../automation/link-io.ts';
import { SequenceRunner, type SequenceOutgoing } from '../automation/sequence-runner.ts';
import type { Session, SessionEvent } from '../link/session.ts';

export interface PacketsBackendOptions {
  /** packets.json in the user data folder. */
  file: string;
  /** The sessions a send goes to now (a server's clients, or the one link); fails when nothing is open. */
  targets(to?: number | 'all'): Result<Session[]>;
  /** Refuses a DATA payload the link cannot carry (a serial port's largest packet). */
  checkMessage(payload: Uint8Array): Result<null>;
  emit(message: EventMessage): void;
}

export class PacketsBackend {
  private library: PacketLibrary = EMPTY_LIBRARY;
  private loaded: Promise<LoadedLibrary> | undefined;
  /** Counters by saved packet id, for {{counter}}: 1 on a packet's first send in this run of the app. */
  private readonly counters = new Map<string, number>();
  private running: { runner: SequenceRunner; sequenceId: string } | undefined;

  constructor(private readonly options: PacketsBackendOptions) {}

  /** The library, read from disk once; a damaged file is set aside and the panel told why. */
  load(): Promise<Result<LoadedLibrary>> {
    this.loaded ??= this.readFile();
    return this.loaded.then(ok);
  }

  async save(input: PacketLibraryInput): Promise<Result<PacketLibrary>> {
    const parsed = libraryFileSchema.safeParse(input);
    if (!parsed.success) return fail(appError('PACKETS_ERR_INVALID', describeIssue(parsed.error.issues)));
    const text = serializeLibrary(parsed.data);
    if (text.length > LIBRARY_MAX_BYTES) {
      return fail(appError('PACKETS_ERR_TOO_LARGE', `The packets would take over ${LIBRARY_MAX_BYTES / 1024 / 1024} MiB; remove some first.`));
    }
    try {
      await mkdir(dirname(this.options.file), { recursive: true });
      const temporary = `${this.options.file}.${process.pid}.tmp`;
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, this.options.file);
    } catch (error) {
      return fail(appError('PACKETS_ERR_WRITE', `The packets could not be saved: ${(error as Error).message}`));
    }
    this.library = parsed.data;
    this.loaded = Promise.resolve({ library: this.library });
    return ok(this.library);
  }

  /** An exported file's text: added to the library (an id already there is replaced), or replacing it. */
  async importText(text: string, replace: boolean): Promise<Result<PacketLibrary>> {
    await this.load();
    const parsed = parseLibrary(text);
    if (!parsed.ok) return fail(appError(parsed.error.code, parsed.error.message));
    if (replace) return this.save(parsed.value);
    const incoming = parsed.value;
    const newIds = new Set(incoming.packets.map((p) => p.id));
    const kept = this.library.packets.filter((p) => !newIds.has(p.id));
    // A shortcut already taken by a kept packet stays with it; the imported packet loses it.
    const takenKeys = new Set(kept.map((p) => p.key).filter((k) => k !== undefined));
    const added = incoming.packets.map(({ key, ...rest }) => (key !== undefined && !takenKeys.has(key) ? { ...rest, key } : rest));
    const newSequenceIds = new Set(incoming.sequences.map((s) => s.id));
    return this.save({
      ...this.library,
      packets: [...kept, ...added],
      sequences: [...this.library.sequences.filter((s) => !newSequenceIds.has(s.id)), ...incoming.sequences],
    });
  }

  /** Sends a saved packet now, to every target (a server's clients, or the one link). */
  async send(id: string, to?: number | 'all'): Promise<Result<null>> {
    await this.load();
    const saved = this.library.packets.find((p) => p.id === id);
    if (!saved) return fail(appError('PACKETS_ERR_NOT_FOUND', `No saved packet has the id "${id}".`));
    const counter = (this.counters.get(id) ?? 0) + 1;
    const bytes = resolveTemplate(saved.format, saved.body, { counter, nowMs: Date.now(), random: randomBytes });
    if (!bytes.ok) return fail(appError(bytes.error.code === 'MSP_ERR_BAD_HEX' ? 'TEMPLATE_ERR_SYNTAX' : bytes.error.code, bytes.error.message));
    const outgoing: SequenceOutgoing =
      saved.format === 'raw' ? { kind: 'raw', bytes: bytes.value } : { kind: 'packet', packet: { version: saved.version, type: saved.type, payload: bytes.value } };
    const sent = this.sendNow(outgoing, to);
    if (sent.ok) this.counters.set(id, counter);
    return sent;
  }

  /** Starts a sequence on the open link; its progress comes as `sequence.progress` events. */
  async runSequence(id: string): Promise<Result<null>> {
    await this.load();
    if (this.running) return fail(appError('SEQ_ERR_BUSY', 'A sequence is already running: stop it first.'));
    const sequence = this.library.sequences.find((s) => s.id === id);
    if (!sequence) return fail(appError('PACKETS_ERR_NOT_FOUND', `No sequence has the id "${id}".`));
    const targets = this.options.targets('all');
    if (!targets.ok) return targets;
    const emit = (payload: SequenceProgress) => this.progress(payload);
    const runner = new SequenceRunner(
      sequence,
      this.library.packets,
      {
        send: (outgoing) => {
          const sent = this.sendNow(outgoing, 'all');
          return sent.ok ? { ok: true } : { ok: false, message: sent.error.message };
        },
      },
      {
        counters: this.counters,
        onStep: (step) => emit({ sequenceId: id, state: runner.currentState, step }),
        onState: (state) => {
          if (state !== 'passed' && state !== 'failed' && state !== 'stopped') emit({ sequenceId: id, state });
        },
      },
    );
    this.running = { runner, sequenceId: id };
    void runner.run().then((result) => {
      if (this.running?.runner === runner) this.running = undefined;
      emit({
        sequenceId: id,
        state: result.ok ? 'passed' : result.code === 'SEQ_ERR_STOPPED' ? 'stopped' : 'failed',
        ...(result.ok ? {} : { error: appError(result.code, result.message) }),
      });
    });
    return ok(null);
  }

  control(action: 'pause' | 'resume' | 'step' | 'stop'): Result<null> {
    const runner = this.running?.runner;
    if (!runner) return ok(null); // nothing running: a late click does nothing
    runner[action]();
    return ok(null);
  }

  /** Everything the link receives: a running sequence's waits look at the packets. */
  onSessionEvent(event: SessionEvent): void {
    if (!this.running || event.kind !== 'packet' || event.dir !== 'in' || event.rejected) return;
    this.running.runner.receive(openedPacket(event.packet, event.plaintext));
  }

  /** The link went: a running sequence stops. */
  linkClosed(): void {
    this.running?.runner.stop();
  }

  private sendNow(outgoing: SequenceOutgoing, to: number | 'all' | undefined): Result<null> {
    const targets = this.options.targets(to);
    if (!targets.ok) return targets;
    for (const session of targets.value) {
      const sent = sendOutgoing(session, outgoing, (payload) => this.options.checkMessage(payload));
      if (!sent.ok) return sent;
    }
    return ok(null);
  }

  private progress(payload: SequenceProgress): void {
    this.options.emit({ name: 'sequence.progress', payload });
  }

  private async readFile(): Promise<LoadedLibrary> {
    let text: string;
    try {
      const handle = await open(this.options.file, 'r');
      try {
        const { size } = await handle.stat();
        if (size > LIBRARY_MAX_BYTES) return this.setAside(`it is ${size} bytes, over ${LIBRARY_MAX_BYTES}`);
        text = (await handle.readFile('utf8')).toString();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { library: EMPTY_LIBRARY };
      return { library: EMPTY_LIBRARY, warning: appError('PACKETS_ERR_INVALID', `The saved packets could not be read: ${(error as Error).message}`) };
    }
    const parsed = parseLibrary(text);
    if (!parsed.ok) return this.setAside(parsed.error.message);
    this.library = parsed.value;
    return { library: this.library };
  }

  /** A damaged packets.json is kept beside (never overwritten) and the library starts empty. */
  private async setAside(why: string): Promise<LoadedLibrary> {
    const keptAs = `${this.options.file}.damaged-${Date.now()}`;
    const kept = await rename(this.options.file, keptAs).then(
      () => ` It was kept as ${keptAs}.`,
      () => '',
    );
    return { library: EMPTY_LIBRARY, warning: appError('PACKETS_ERR_INVALID', `The saved packets file was damaged (${why}), so the list starts empty.${kept}`) };
  }
}
