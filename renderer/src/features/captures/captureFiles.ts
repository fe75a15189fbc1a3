/**
 * The Captures tool's work, apart from its controls: the log (or part of it) to a pcapng
 * download, and a .pcap/.pcapng file into the log. Everything runs in the window (the renderer
 * has no file system: a file comes from the file picker, a capture leaves as a download), with
 * the same pure code the CLI uses (shared/capture/).
 */
import { exportLogAsPcapng, type LogExportOptions } from '../../../../shared/capture/export-log.ts';
import { MAX_CAPTURE_FILE_BYTES, importCapture, type CaptureSummary } from '../../../../shared/capture/import-capture.ts';
import type { CaptureError } from '../../../../shared/errors/capture.ts';
import type { TrafficEvent } from '../../../../shared/ipc/types.ts';
import { TRAFFIC_BATCH_MAX_EVENTS } from '../../../../shared/limits.ts';
import { fail, ok, type Result } from '../../../../shared/result.ts';
import type { LogRecord } from '../log/logRecord.ts';
import { exportFileName, saveFile } from '../log/saveFile.ts';

export function saveRecordsAsPcapng(records: readonly LogRecord[], options: LogExportOptions): void {
  const bytes = exportLogAsPcapng(
    records.map((r) => r.entry),
    options,
  );
  saveFile(exportFileName('pcapng'), 'application/vnd.tcpdump.pcap', bytes);
}

/**
 * Imported rows get ids of their own, below zero: the backend's are positive, so an imported
 * ACK can never be paired with a live DATA (the log pairs by id).
 */
let lastImportedId = 0;

/** Reads a capture file into the log in batches (the log bounds itself); what was found, or why not. */
export async function importCaptureFile(file: File, ingest: (events: TrafficEvent[]) => void): Promise<Result<CaptureSummary, CaptureError>> {
  if (file.size > MAX_CAPTURE_FILE_BYTES) {
    return fail({
      code: 'CAPTURE_ERR_TOO_LARGE',
      message: `${file.name} is ${file.size} bytes; at most ${MAX_CAPTURE_FILE_BYTES} are read at once (cut it with editcap or a capture filter).`,
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return fail({ code: 'CAPTURE_ERR_FILE', message: `Cannot read ${file.name}.` });
  }
  const ids = new Map<number, number>();
  const idFor = (id: number) => {
    let mapped = ids.get(id);
    if (mapped === undefined) ids.set(id, (mapped = --lastImportedId));
    return mapped;
  };
  let batch: TrafficEvent[] = [];
  const result = importCapture(bytes, (event) => {
    if (event.kind === 'entry') batch.push({ kind: 'entry', entry: { ...event.entry, id: idFor(event.entry.id) } });
    else if (event.kind === 'ack') batch.push({ ...event, dataId: idFor(event.dataId), ackId: idFor(event.ackId) });
    if (batch.length >= TRAFFIC_BATCH_MAX_EVENTS) {
      ingest(batch);
      batch = [];
    }
  });
  // Rows read before a problem stay in the log: the error says where the file went wrong.
  if (batch.length > 0) ingest(batch);
  return result.ok ? ok(result.value) : result;
}
