/**
 * The controlled side's audit log: one JSON object per line for every remote-control request
 * and its outcome (who, when, what, exit code, bytes). Written synchronously, in order, to a
 * file only its owner can read; a log that cannot be opened stops the server from starting.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fail, ok, type Result } from '../../../../../shared/result.ts';

export interface AuditEntry {
  /** ISO 8601, UTC. */
  time: string;
  peer: string;
  /** request (a run asked for), refused, started, exit, cancel, list; transfer: a get-file or put-file's file. */
  event: 'list' | 'request' | 'refused' | 'started' | 'exit' | 'cancel' | 'revoke' | 'transfer';
  command?: string;
  args?: Record<string, string>;
  code?: string;
  reason?: string;
  exitCode?: number;
  signalled?: boolean;
  timedOut?: boolean;
  truncated?: boolean;
  cancelled?: boolean;
  bytes?: number;
  durationMs?: number;
  /** transfer: the file (get: its path in the shared folder; put: the name it was saved as), its size and SHA-256 (hex). */
  file?: string;
  size?: number;
  sha256?: string;
  outcome?: 'verified' | 'failed';
}

export class AuditLog {
  private readonly listeners = new Set<(entry: AuditEntry) => void>();

  private constructor(
    readonly path: string | undefined,
    private fd: number | undefined,
  ) {}

  /** Appends to `path` (made with mode 0600 if new). */
  static open(path: string): Result<AuditLog, string> {
    try {
      return ok(new AuditLog(path, openSync(path, 'a', 0o600)));
    } catch (error) {
      return fail(`Cannot open the audit log ${path}: ${(error as Error).message}`);
    }
  }

  /** No file: entries only reach the listeners (tests, and an app that shows them). */
  static inMemory(): AuditLog {
    return new AuditLog(undefined, undefined);
  }

  /** Called for each entry as well: the CLI prints it, the app shows it. */
  onEntry(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(entry: Omit<AuditEntry, 'time'>): void {
    const full: AuditEntry = { time: new Date().toISOString(), ...entry };
    if (this.fd !== undefined) {
      try {
        writeSync(this.fd, JSON.stringify(full) + '\n');
      } catch {
        // A full disk must not crash the server; the listeners still see the entry.
      }
    }
    for (const listener of this.listeners) listener(full);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
