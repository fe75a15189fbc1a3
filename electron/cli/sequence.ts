/**
 * `msp --mode client --sequence FILE`: runs a sequence from a packet library file (the Packets
 * panel's export) over TCP or --serial, printing each step's outcome. Exit 0 when the sequence
 * completes, 1 when a step fails, a wait times out with nowhere to go, the link drops or the
 * run's time limit is reached, 2 when the file is not a library or has no such sequence.
 * With a password the link is MSP v3 (or msp-secure.py's scheme): DATA is sealed, and waits
 * see what sealed packets carry (link-io.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PacketType, packetLabelParts } from '../../shared/msp/index.ts';
import { LIBRARY_MAX_BYTES, parseLibrary, type PacketLibrary } from '../../shared/automation/packets.ts';
import type { Sequence } from '../../shared/automation/packets-sequence.ts';
import { openedPacket, sendOutgoing } from '../main/automation/link-io.ts';
import { SequenceRunner, describeReceived, type SequenceIo } from '../main/automation/sequence-runner.ts';
import { connectTcp } from '../main/link/tcp-client.ts';
import { SerialLink } from '../main/link/serial-link.ts';
import type { Session, SessionEvent } from '../main/link/session.ts';
import type { LinkError } from '../main/link/errors.ts';
import type { ClientConfig } from './args.ts';
import { clientSessionOptions } from './client.ts';
import type { Printer } from './output.ts';

const HANDSHAKE = new Set<number>([PacketType.HELLO_REPLY, PacketType.SERVER_CONFIRM]);

/** The library in `path`, read only up to the size a library may have. */
export function readLibraryFile(path: string): { ok: true; library: PacketLibrary } | { ok: false; message: string } {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > LIBRARY_MAX_BYTES) return { ok: false, message: `${path} is ${size} bytes; a packet library is at most ${LIBRARY_MAX_BYTES}.` };
      const buffer = Buffer.alloc(size);
      const read = readSync(fd, buffer, 0, size, 0);
      text = buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: `Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.` };
  }
  const parsed = parseLibrary(text);
  return parsed.ok ? { ok: true, library: parsed.value } : { ok: false, message: `${path}: ${parsed.error.message}` };
}

/** The sequence to run: the one named by --sequence-id, or the file's only one. */
function pickSequence(library: PacketLibrary, id: string | undefined): Sequence | string {
  if (id !== undefined) return library.sequences.find((s) => s.id === id) ?? `there is no sequence with the id "${id}".`;
  if (library.sequences.length === 1) return library.sequences[0];
  if (library.sequences.length === 0) return 'it holds no sequence.';
  return `it holds ${library.sequences.length} sequences: pick one with --sequence-id (${library.sequences.map((s) => s.id).join(', ')}).`;
}

export async function runSequenceClient(config: ClientConfig & { sequenceFile: string }, print: Printer): Promise<number> {
  const read = readLibraryFile(config.sequenceFile);
  if (!read.ok) {
    print.error(`Error: ${read.message}`);
    return 2;
  }
  const sequence = pickSequence(read.library, config.sequenceId);
  if (typeof sequence === 'string') {
    print.error(`Error: ${config.sequenceFile}: ${sequence}`);
    return 2;
  }
  let runner: SequenceRunner | undefined;
  let linkClosed: LinkError | undefined;
  const onSession = (event: SessionEvent) => {
    if (event.kind === 'packet' && event.dir === 'in' && !event.rejected) {
      const packet = openedPacket(event.packet, event.plaintext);
      runner?.receive(packet);
      // The secure handshake's steps are not news to someone running a sequence.
      if (!config.quiet && !HANDSHAKE.has(packet.type)) {
        const inner = packetLabelParts(packet.type, event.serviceType).inner;
        print.event('packet', { dir: 'in', type: packet.type, ...(inner ? { inner_type: inner } : {}), hex: Buffer.from(packet.payload).toString('hex') }, `<- ${describeReceived(packet, event.serviceType)}`);
      }
    } else if (event.kind === 'closed') {
      linkClosed = event.error ?? { code: 'LINK_ERR_CLOSED', message: 'The other side closed the link.' };
      runner?.stop();
    }
  };
  const sessionOptions = { ...clientSessionOptions(config), onFrameTimeout: 'resync' as const, observer: onSession };
  let session: Session | undefined;
  let closeLink = async () => {};
  if (config.serial) {
    const link = new SerialLink({
      settings: config.serial.settings,
      session: { ...sessionOptions, maxPacketSize: config.serial.maxPacketSize, packetGapMs: config.serial.packetGapMs },
      observer: (event) => {
        if (event.kind === 'session') onSession(event.event);
      },
    });
    const opened = await link.open();
    if (!opened.ok) {
      print.error(`Error: ${opened.error.message}`);
      return 1;
    }
    session = link.session;
    closeLink = () => link.close();
  } else {
    const connected = await connectTcp({ host: config.host, port: config.port, connectTimeoutMs: config.timeoutMs, session: sessionOptions });
    if (!connected.ok) {
      print.error(`Error: ${connected.error.message}`);
      return connected.error.code === 'LINK_ERR_HOST_NOT_FOUND' ? 2 : 1;
    }
    session = connected.session;
    const opened = session;
    closeLink = async () => opened.close();
  }
  const target = session!;
  const io: SequenceIo = {
    send: (outgoing) => {
      const sent = sendOutgoing(target, outgoing);
      return sent.ok ? { ok: true } : { ok: false, message: sent.error.message };
    },
  };
  runner = new SequenceRunner(sequence, read.library.packets, io, {
    onStep: (step) =>
      print.event(
        'step',
        { index: step.index, ...(step.label !== undefined ? { label: step.label } : {}), step: step.step, outcome: step.outcome, detail: step.detail },
        `step ${step.index + 1}${step.label !== undefined ? ` [${step.label}]` : ''} ${step.step}: ${step.detail}`,
      ),
  });
  if (!config.json) print.event('start', {}, `Running sequence "${sequence.name}" (${sequence.steps.length} steps) against ${target.peer}`);
  const result = await runner.run();
  await closeLink();
  if (result.ok) {
    print.event('sequence', { result: 'passed', id: sequence.id, steps: result.steps, ms: result.ms }, `Sequence "${sequence.name}" completed: ${result.steps} steps in ${result.ms} ms`);
    return 0;
  }
  const message = result.code === 'SEQ_ERR_STOPPED' && linkClosed ? linkClosed.message : result.message;
  print.event('sequence', { result: 'failed', id: sequence.id, code: result.code, message, steps: result.steps, ms: result.ms }, `Sequence "${sequence.name}" failed: ${message}`);
  print.error(`Error: ${message}`);
  return 1;
}
