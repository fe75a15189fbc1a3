/**
 * Saved packets and sequences: the library a person builds in the Packets panel, exports and
 * imports as JSON, and runs from the command line (`msp --mode client --sequence FILE`).
 * One schema for all three, so a file the app writes is a file the CLI reads. A file is
 * hostile until checked: its size, its counts and every template and pattern in it.
 *
 *   {
 *     "format": "msp-workbench-packets", "version": 1,
 *     "packets": [{ "id": "ping", "name": "Ping", "folder": "Arduino", "format": "text",
 *                   "body": "ping {{counter}}", "type": 16, "version": 1, "key": 1 }],
 *     "sequences": [{ "id": "hello", "name": "Hello", "steps": [
 *                   { "do": "send", "packet": "ping" },
 *                   { "do": "wait", "match": { "type": 17 }, "timeoutMs": 2000 }] }]
 *   }
 */
import { z } from 'zod';
import { SEND_INPUT_MAX } from '../limits.ts';
import { fail, ok, type Result } from '../result.ts';
import { sequenceSchema } from './packets-sequence.ts';
import { checkTemplate } from './template.ts';

export const LIBRARY_FORMAT = 'msp-workbench-packets';
export const LIBRARY_VERSION = 1;
/** Saved packets in one library. */
export const LIBRARY_MAX_PACKETS = 1000;
/** Sequences in one library. */
export const LIBRARY_MAX_SEQUENCES = 200;
/** The largest library file read or written (bytes of JSON). */
export const LIBRARY_MAX_BYTES = 4 * 1024 * 1024;
/** Shortcut digits: Ctrl+1 .. Ctrl+9. */
export const SHORTCUT_KEYS = { min: 1, max: 9 } as const;

const idSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'An id is 1 to 64 letters, digits, _ . or -.');

export const savedPacketSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().trim().min(1, 'Give the packet a name.').max(100),
    /** The device (or any group) it belongs to: one folder level. */
    folder: z.string().trim().max(100).default(''),
    format: z.enum(['text', 'hex', 'raw']).default('text'),
    /** The payload (text or hex) or, for raw, the wire bytes, with fields (template.ts). */
    body: z.string().max(SEND_INPUT_MAX),
    type: z.number().int().min(0).max(255).default(0x10),
    version: z.number().int().min(0).max(255).default(1),
    /** Ctrl+key sends it. */
    key: z.number().int().min(SHORTCUT_KEYS.min).max(SHORTCUT_KEYS.max).optional(),
  })
  .superRefine((packet, ctx) => {
    const error = checkTemplate(packet.format, packet.body);
    if (error) ctx.addIssue({ code: 'custom', path: ['body'], message: error.message });
  });

export const libraryFileSchema = z
  .strictObject({
    format: z.literal(LIBRARY_FORMAT),
    version: z.literal(LIBRARY_VERSION),
    packets: z.array(savedPacketSchema).max(LIBRARY_MAX_PACKETS).default([]),
    sequences: z.array(sequenceSchema).max(LIBRARY_MAX_SEQUENCES).default([]),
  })
  .superRefine((library, ctx) => {
    const ids = new Set<string>();
    const keys = new Map<number, string>();
    for (const [i, packet] of library.packets.entries()) {
      if (ids.has(packet.id)) ctx.addIssue({ code: 'custom', path: ['packets', i, 'id'], message: `Two packets have the id "${packet.id}".` });
      ids.add(packet.id);
      if (packet.key !== undefined) {
        const other = keys.get(packet.key);
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['packets', i, 'key'], message: `Ctrl+${packet.key} is already "${other}"'s shortcut.` });
        keys.set(packet.key, packet.name);
      }
    }
    const sequenceIds = new Set<string>();
    for (const [i, sequence] of library.sequences.entries()) {
      if (sequenceIds.has(sequence.id)) ctx.addIssue({ code: 'custom', path: ['sequences', i, 'id'], message: `Two sequences have the id "${sequence.id}".` });
      sequenceIds.add(sequence.id);
      for (const [j, step] of sequence.steps.entries()) {
        if (step.do === 'send' && step.packet !== undefined && !ids.has(step.packet)) {
          ctx.addIssue({ code: 'custom', path: ['sequences', i, 'steps', j, 'packet'], message: `No saved packet has the id "${step.packet}".` });
        }
      }
    }
  });

export type SavedPacket = z.output<typeof savedPacketSchema>;
export type SavedPacketInput = z.input<typeof savedPacketSchema>;
export type PacketLibrary = z.output<typeof libraryFileSchema>;
export type PacketLibraryInput = z.input<typeof libraryFileSchema>;

export const EMPTY_LIBRARY: PacketLibrary = { format: LIBRARY_FORMAT, version: LIBRARY_VERSION, packets: [], sequences: [] };

export interface LibraryError {
  code: 'PACKETS_ERR_TOO_LARGE' | 'PACKETS_ERR_NOT_JSON' | 'PACKETS_ERR_INVALID';
  message: string;
}

/** A library from a file's text: checked for size first, then parsed, then every field checked. */
export function parseLibrary(text: string): Result<PacketLibrary, LibraryError> {
  // A JS string's length counts UTF-16 units; 3 bytes a unit at most, so this bounds the bytes before any parsing.
  if (text.length > LIBRARY_MAX_BYTES) {
    return fail({ code: 'PACKETS_ERR_TOO_LARGE', message: `The file is over ${LIBRARY_MAX_BYTES / 1024 / 1024} MiB; a packet library is at most that.` });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail({ code: 'PACKETS_ERR_NOT_JSON', message: `The file is not JSON: ${(error as Error).message}` });
  }
  const parsed = libraryFileSchema.safeParse(json);
  if (!parsed.success) return fail({ code: 'PACKETS_ERR_INVALID', message: describeIssue(parsed.error.issues) });
  return ok(parsed.data);
}

/** The library as the text of an export file. */
export function serializeLibrary(library: PacketLibrary): string {
  return JSON.stringify(library, null, 2) + '\n';
}

/** The first problem in words, with where it is: `packets[2].body: "{{x}}" at column 1 is not a field...`. */
export function describeIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  if (!first) return 'The file is not a packet library.';
  const where = first.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${where ? `${where}: ` : ''}${first.message}${more}`;
}
