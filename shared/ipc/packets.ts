/**
 * The Packets panel's requests and events: the saved-packet library (load, save, import),
 * sending a saved packet, and running a sequence with its controls. The library's own schema
 * is shared/automation/packets.ts, the one the export file and the CLI use too.
 */
import { z } from 'zod';
import { LIBRARY_MAX_BYTES, libraryFileSchema } from '../automation/packets.ts';
import type { PacketLibrary } from '../automation/packets.ts';
import type { RunState, StepEvent } from '../automation/packets-sequence.ts';
import type { AppError } from '../result.ts';

const id = z.string().min(1).max(64);

export const packetsSaveSchema = libraryFileSchema;
/** An import: a file's text, checked in main; added to the library (same ids replaced) or replacing it. */
export const packetsImportSchema = z.strictObject({ text: z.string().max(LIBRARY_MAX_BYTES), replace: z.boolean().default(false) });
export const packetsSendSchema = z.strictObject({ id, to: z.union([z.number().int().positive(), z.literal('all')]).optional() });
export const sequenceRunSchema = z.strictObject({ id });
export const sequenceControlSchema = z.strictObject({ action: z.enum(['pause', 'resume', 'step', 'stop']) });

export interface LoadedLibrary {
  library: PacketLibrary;
  /** The stored file could not be read and was set aside: what was wrong. */
  warning?: AppError;
}

/** A sequence run's news: its state, and each step's outcome as it happens. */
export interface SequenceProgress {
  sequenceId: string | null;
  state: RunState;
  step?: StepEvent;
  /** How a finished run ended, when not passed. */
  error?: AppError;
}
