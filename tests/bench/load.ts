/**
 * The project's own closed-loop load generator, spread over worker threads: N connections
 * with W DATA in flight each, for a warm-up and then a measured window. Reports ACKs/s,
 * latency percentiles and anything wrong with the ACKs.
 */
import { Worker } from 'node:worker_threads';
import { LatencyHistogram } from './histogram.ts';
import type { LoadJob, WorkerMessage } from './load-worker.ts';

export interface LoadOptions {
  host: string;
  port: number;
  conns: number;
  window: number;
  payloadBytes?: number;
  warmupMs?: number;
  durationMs?: number;
  workers?: number;
}

export interface LoadResult {
  conns: number;
  window: number;
  seconds: number;
  acks: number;
  acksPerSec: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** ACK bytes that were not the expected ACK, ACKs with nothing in flight, connections with no ACK. */
  badBytes: number;
  unexpectedAcks: number;
  stalledConns: number;
  errors: string[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const workerCount = Math.max(1, Math.min(options.workers ?? 1, options.conns));
  const durationMs = options.durationMs ?? 5000;
  const jobs: LoadJob[] = Array.from({ length: workerCount }, (_, i) => ({
    host: options.host,
    port: options.port,
    conns: Math.floor(options.conns / workerCount) + (i < options.conns % workerCount ? 1 : 0),
    window: options.window,
    payloadBytes: options.payloadBytes ?? 16,
    warmupMs: options.warmupMs ?? 1000,
    durationMs,
  }));
  const workers = jobs.map((job) => startWorker(job));
  const next = (worker: Worker) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    const ready = await Promise.all(workers.map(next));
    const failed = ready.find((m) => m.kind === 'failed');
    if (failed && failed.kind === 'failed') throw new Error(`load generator could not connect: ${failed.message}`);
    const results = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    const histogram = new LatencyHistogram();
    const total = { acks: 0, badBytes: 0, unexpectedAcks: 0, stalled: 0, errors: [] as string[] };
    for (const message of await Promise.all(results)) {
      if (message.kind !== 'result') throw new Error(`unexpected message from a load worker: ${message.kind}`);
      const part = new LatencyHistogram(message.counts);
      part.maxNs = message.maxNs;
      histogram.merge(part);
      total.acks += message.acks;
      total.badBytes += message.badBytes;
      total.unexpectedAcks += message.unexpectedAcks;
      total.stalled += message.stalled;
      total.errors.push(...message.errors);
    }
    return {
      conns: options.conns,
      window: options.window,
      seconds: durationMs / 1000,
      acks: total.acks,
      acksPerSec: Math.round(total.acks / (durationMs / 1000)),
      p50Us: round(histogram.percentileUs(0.5)),
      p99Us: round(histogram.percentileUs(0.99)),
      maxUs: round(histogram.maxNs / 1000),
      badBytes: total.badBytes,
      unexpectedAcks: total.unexpectedAcks,
      stalledConns: total.stalled,
      errors: total.errors,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A worker running load-worker.ts: it registers tsx first, as bin/msp.js does, since workers do not inherit loaders. */
function startWorker(job: LoadJob): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = new URL('./load-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}
