/**
 * Runs one sequence (shared/automation/packets-sequence.ts) against a link: sends, waits for
 * matching packets, delays, repeats and branches, reporting each step's outcome as it goes.
 * Run, pause (between steps), step (one step while paused) and stop. Bounded whatever the file
 * says: the run's time (maxRunMs), the steps it executes, the packets it keeps while no wait
 * is looking, and it yields to the event loop so a loop of sends never blocks the process.
 */
import { randomBytes } from 'node:crypto';
import { packetLabel, packetTypeName, toHex, utf8DecodeStrict, type Packet } from '../../../shared/msp/index.ts';
import { compileMatch, describeMatch, type Matcher } from '../../../shared/automation/packet-match.ts';
import type { SavedPacket } from '../../../shared/automation/packets.ts';
import {
  SEQUENCE_MAX_EXECUTED_STEPS,
  type InlinePacket,
  type RunState,
  type Sequence,
  type StepEvent,
  type StepOutcome,
} from '../../../shared/automation/packets-sequence.ts';

export type { RunState, StepEvent, StepOutcome };
import { resolveTemplate } from '../../../shared/automation/template.ts';

/** What a sequence sends: a packet to frame, or bytes to write as they are (a raw packet). */
export type SequenceOutgoing = { kind: 'packet'; packet: Packet } | { kind: 'raw'; bytes: Uint8Array };

export interface SequenceIo {
  /** Sends now; says why not when the link cannot. */
  send(outgoing: SequenceOutgoing): { ok: true } | { ok: false; message: string };
}

export type RunResult =
  | { ok: true; steps: number; ms: number }
  | { ok: false; code: 'SEQ_ERR_STEP_FAILED' | 'SEQ_ERR_STOPPED' | 'SEQ_ERR_TIME_LIMIT' | 'SEQ_ERR_STEP_LIMIT'; message: string; steps: number; ms: number };

export interface SequenceRunnerOptions {
  onStep?: (event: StepEvent) => void;
  onState?: (state: RunState) => void;
  /** Counters by saved packet id, kept across runs by the caller (inline packets count per step). */
  counters?: Map<string, number>;
  random?: (count: number) => Uint8Array;
  now?: () => number;
  /** Start paused: the first step waits for step() or resume(). */
  startPaused?: boolean;
  /** Steps a run may execute (tests lower it); SEQUENCE_MAX_EXECUTED_STEPS by default. */
  maxExecutedSteps?: number;
}

/** Received packets kept for the next wait while none is running. */
export const INBOX_MAX = 256;
/** Steps run back to back before the runner yields to the event loop. */
const YIELD_EVERY = 64;

export class SequenceRunner {
  private state: RunState = 'idle';
  private readonly abort = new AbortController();
  private abortReason: 'stopped' | 'time' | undefined;
  private readonly inbox: Packet[] = [];
  /** Wakes a wait when a packet arrives. */
  private onArrival: (() => void) | undefined;
  /** Wakes the loop when paused: resume() or step(). */
  private gate: (() => void) | undefined;
  private stepOnce = false;
  private readonly matchers = new Map<number, Matcher>();
  private readonly counters: Map<string, number>;

  constructor(
    private readonly sequence: Sequence,
    private readonly packets: readonly SavedPacket[],
    private readonly io: SequenceIo,
    private readonly options: SequenceRunnerOptions = {},
  ) {
    this.counters = options.counters ?? new Map();
  }

  get currentState(): RunState {
    return this.state;
  }

  /** A packet the link received (opened, if the link is secured): waits look for theirs here. */
  receive(packet: Packet): void {
    if (this.state === 'idle' || this.isOver()) return;
    this.inbox.push({ ...packet, payload: packet.payload.slice() });
    if (this.inbox.length > INBOX_MAX) this.inbox.shift();
    this.onArrival?.();
  }

  pause(): void {
    if (this.state === 'running') this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.gate?.();
  }

  /** While paused: run exactly one step, then pause again. */
  step(): void {
    if (this.state !== 'paused') return;
    this.stepOnce = true;
    this.gate?.();
  }

  stop(): void {
    if (this.isOver()) return;
    this.abortReason ??= 'stopped';
    this.abort.abort();
    this.gate?.();
  }

  async run(): Promise<RunResult> {
    const now = this.options.now ?? Date.now;
    const started = now();
    this.setState(this.options.startPaused ? 'paused' : 'running');
    const deadline = setTimeout(() => {
      this.abortReason ??= 'time';
      this.abort.abort();
      this.gate?.();
    }, this.sequence.maxRunMs);
    const repeats = new Map<number, number>();
    const maxSteps = this.options.maxExecutedSteps ?? SEQUENCE_MAX_EXECUTED_STEPS;
    let executed = 0;
    let pc = 0;
    const end = (result: RunResult, state: RunState): RunResult => {
      clearTimeout(deadline);
      this.setState(state);
      return result;
    };
    const failure = (code: Extract<RunResult, { ok: false }>['code'], message: string) =>
      end({ ok: false, code, message, steps: executed, ms: now() - started }, code === 'SEQ_ERR_STOPPED' ? 'stopped' : 'failed');
    while (pc < this.sequence.steps.length) {
      if (this.state === 'paused' && !this.stepOnce) await new Promise<void>((resolve) => (this.gate = resolve));
      this.gate = undefined;
      const pauseAfter = this.stepOnce;
      this.stepOnce = false;
      if (this.abort.signal.aborted) break;
      if (++executed > maxSteps) {
        return failure('SEQ_ERR_STEP_LIMIT', `The sequence ran ${maxSteps} steps without finishing, so it was stopped.`);
      }
      if (executed % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const next = await this.execute(pc, repeats, now);
      if (this.abort.signal.aborted) break;
      if (typeof next === 'string') return failure('SEQ_ERR_STEP_FAILED', `Step ${pc + 1}: ${next}`);
      pc = next;
      if (pauseAfter && this.state === 'paused') continue;
    }
    if (this.abortReason === 'time') {
      return failure('SEQ_ERR_TIME_LIMIT', `The sequence did not finish within ${this.sequence.maxRunMs / 1000} s (its maxRunMs), so it was stopped.`);
    }
    if (this.abortReason === 'stopped') return failure('SEQ_ERR_STOPPED', 'The sequence was stopped.');
    return end({ ok: true, steps: executed, ms: now() - started }, 'passed');
  }

  /** Runs step `pc`; the index of the next step, or why the run fails. */
  private async execute(pc: number, repeats: Map<number, number>, now: () => number): Promise<number | string> {
    const step = this.sequence.steps[pc];
    const report = (outcome: StepOutcome, detail: string) =>
      this.options.onStep?.({ index: pc, ...(step.label !== undefined ? { label: step.label } : {}), step: step.do, outcome, detail, at: now() });
    switch (step.do) {
      case 'send': {
        const saved = step.packet !== undefined ? this.packets.find((p) => p.id === step.packet) : undefined;
        const source: InlinePacket | undefined = saved ?? step.inline;
        if (!source) return `no saved packet has the id "${step.packet}".`;
        const key = saved ? saved.id : `#step${pc}`;
        const counter = (this.counters.get(key) ?? 0) + 1;
        const bytes = resolveTemplate(source.format, source.body, { counter, nowMs: now(), random: this.options.random ?? randomBytes });
        if (!bytes.ok) return bytes.error.message;
        this.counters.set(key, counter);
        const outgoing: SequenceOutgoing =
          source.format === 'raw' ? { kind: 'raw', bytes: bytes.value } : { kind: 'packet', packet: { version: source.version, type: source.type, payload: bytes.value } };
        const sent = this.io.send(outgoing);
        const name = saved ? `"${saved.name}"` : 'inline packet';
        if (!sent.ok) {
          report('failed', `could not send ${name}: ${sent.message}`);
          return sent.message;
        }
        report('sent', `sent ${name} (${source.format === 'raw' ? 'raw' : packetTypeName(source.type)}, ${bytes.value.length} bytes)`);
        return pc + 1;
      }
      case 'wait': {
        let matcher = this.matchers.get(pc);
        if (!matcher) {
          const compiled = compileMatch(step.match);
          if (!compiled.ok) return compiled.error;
          matcher = compiled.value;
          this.matchers.set(pc, matcher);
        }
        const started = now();
        const found = await this.waitFor(matcher, step.timeoutMs);
        if (this.abort.signal.aborted) return pc;
        if (found) {
          report('matched', `got ${describeReceived(found)} after ${now() - started} ms`);
          return pc + 1;
        }
        const what = `nothing matching ${describeMatch(step.match)} within ${step.timeoutMs / 1000} s`;
        if (step.onTimeout === 'fail') {
          report('timed-out', what);
          return what;
        }
        if (step.onTimeout === 'continue') {
          report('timed-out', `${what}; going on`);
          return pc + 1;
        }
        report('timed-out', `${what}; going to "${step.onTimeout.goto}"`);
        return this.labelIndex(step.onTimeout.goto);
      }
      case 'delay':
        await this.sleep(step.ms);
        if (!this.abort.signal.aborted) report('waited', `waited ${step.ms} ms`);
        return pc + 1;
      case 'repeat': {
        const done = repeats.get(pc) ?? 0;
        if (done < step.times) {
          repeats.set(pc, done + 1);
          report('repeated', `back to "${step.goto}" (${done + 1} of ${step.times})`);
          return this.labelIndex(step.goto);
        }
        repeats.delete(pc); // an outer loop coming round starts this one afresh
        report('repeated', `repeated ${step.times} time${step.times === 1 ? '' : 's'}; going on`);
        return pc + 1;
      }
      case 'fail':
        report('failed', step.message);
        return step.message;
    }
  }

  private labelIndex(label: string): number {
    // The schema checked that the label exists.
    return this.sequence.steps.findIndex((s) => s.label === label);
  }

  /** The first packet in the inbox (or arriving within `ms`) that matches; what came before it is dropped. */
  private waitFor(matcher: Matcher, ms: number): Promise<Packet | undefined> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const at = this.inbox.findIndex((p) => matcher(p));
        if (at < 0) return false;
        const [found] = this.inbox.splice(0, at + 1).slice(-1);
        finish(found);
        return true;
      };
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => {
        this.inbox.length = 0;
        finish(undefined);
      }, ms);
      const finish = (packet: Packet | undefined) => {
        clearTimeout(timer);
        this.onArrival = undefined;
        this.abort.signal.removeEventListener('abort', onAbort);
        resolve(packet);
      };
      this.abort.signal.addEventListener('abort', onAbort);
      if (!check()) this.onArrival = () => void check();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }

  private isOver(): boolean {
    return this.state === 'passed' || this.state === 'failed' || this.state === 'stopped';
  }

  private setState(state: RunState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}

/**
 * A received packet in a step's outcome: `ACK "OK"`, `DATA "pong 3"`, `UNSUPPORTED 7E 01`;
 * a sealed service message by its inner TYPE when the session gave it (packetLabel).
 */
export function describeReceived(packet: Packet, innerType?: number): string {
  const { payload } = packet;
  const name = packetLabel(packet.type, innerType);
  if (payload.length === 0) return `${name} (empty)`;
  const text = utf8DecodeStrict(payload.subarray(0, 64));
  const shown =
    text !== undefined && !/[\u0000-\u001f]/.test(text)
      ? JSON.stringify(payload.length > 64 ? `${text}…` : text)
      : toHex(payload.subarray(0, 16)) + (payload.length > 16 ? ' …' : '');
  return `${name} ${shown}`;
}
