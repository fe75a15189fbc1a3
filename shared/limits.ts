/**
 * Limits every side agrees on: the zod schemas (main's check), the renderer's forms and
 * the CLI's flags all read them here. No schema library, so the renderer can import it cheaply.
 */
import { MAX_PACKET_SIZE, MIN_PACKET_SIZE } from './msp/constants.ts';

/** An inclusive range of whole numbers. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A TCP port; 0 lets a server pick a free one, a client needs 1 or more. */
export const TCP_PORT_RANGE = { min: 0, max: 65_535 } as const;

/** Any whole rate here may be typed; the adapter decides what it can really do. */
export const BAUD_RATE_RANGE = { min: 50, max: 4_000_000 } as const;
/** The largest packet a serial link sends or accepts: at least a header and CRC, at most what LENGTH can say. */
export const SERIAL_PACKET_SIZE_RANGE = { min: MIN_PACKET_SIZE, max: MAX_PACKET_SIZE } as const;
/** The pause after each packet on a serial link (ms), as the app's form and IPC accept it. */
export const PACKET_GAP_MS_RANGE = { min: 0, max: 10_000 } as const;
/** The CLI's --packet-gap has always accepted up to a minute; kept so no command line breaks. */
export const CLI_PACKET_GAP_MS_MAX = 60_000;

/** A repeated send: how many times, and the pause between repeats (ms). */
export const SEND_REPEAT_RANGE = { min: 1, max: 1_000_000 } as const;
export const SEND_INTERVAL_MS_RANGE = { min: 0, max: 3_600_000 } as const;
/** What the send box may hold (characters): a maximum payload typed as spaced hex, with room to spare. */
export const SEND_INPUT_MAX = 300_000;

/** Sent inputs remembered in the send box's history, and the longest one kept. */
export const HISTORY_LIMIT = 50;
export const HISTORY_ENTRY_MAX = 10_000;

/** Long enough for any passphrase, short enough that a request stays small. */
export const PASSWORD_MAX = 1024;

/** Whether `value` is a whole number inside `range`. */
export function isWholeInRange(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/**
 * What a TCP server allows each client by default: the CLI's flags and the app's server
 * panel both start from these. Each one is a bound an attacker would otherwise set.
 */
export const SERVER_DEFAULTS = {
  /** Clients served at once; more are refused. */
  maxConnections: 20_000,
  /**
   * Clients served at once from one address (IPv6: one /64); 0 = no cap. Low enough that one
   * address cannot take the whole server, high enough for a load test's 64 connections.
   */
  maxPerAddress: 128,
  /** A client that has not sent one complete frame this long after connecting is closed (ms); 0 = never. */
  firstFrameTimeoutMs: 0,
  /** Junk bytes (not in any valid frame) a client may send since its last valid frame before it is closed; 0 = no limit. */
  maxJunkBytes: 8 << 20,
} as const;
const MiB = 1024 * 1024;

/*
 * Traffic on its way to a window (electron/main/app/traffic-batcher.ts). A peer decides how
 * much it sends, so what goes to the window is bounded in bytes, not only in events: a
 * 65 KiB packet weighs as much as 500 small ones.
 */

/** How often waiting traffic goes to the window. */
export const TRAFFIC_BATCH_INTERVAL_MS = 33;
/** Events in one batch: one IPC message the renderer takes in without freezing. */
export const TRAFFIC_BATCH_MAX_EVENTS = 2000;
/**
 * Bytes in one batch (raw and plaintext, plus TRAFFIC_EVENT_OVERHEAD_BYTES an event). It is
 * also the pace: the window is sent at most this much per interval (about 30 MiB/s), since
 * main cannot see how far behind the renderer is. 1 MiB is 16 largest packets, a moment's
 * work for the renderer, and a screen of rows only ever shows a few of them.
 */
export const TRAFFIC_BATCH_MAX_BYTES = 1 * MiB;
/**
 * Bytes waiting in main for the window (half a second at the pace above). Past it the oldest
 * waiting events are dropped and the window is told how many ("dropped" traffic event).
 */
export const TRAFFIC_QUEUE_MAX_BYTES = 16 * MiB;
/** What an event costs besides its bytes (ids, times, peer, error text): bounds a flood of tiny events too. */
export const TRAFFIC_EVENT_OVERHEAD_BYTES = 128;

/*
 * The renderer's packet log (renderer/src/features/log/packetLog.ts): the oldest entries go
 * once either limit is reached.
 */

/** Entries the log keeps. */
export const LOG_MAX_ENTRIES = 100_000;
/**
 * Bytes the log keeps: each entry's raw bytes and plaintext, its text and search text, and
 * LOG_ENTRY_OVERHEAD_BYTES. 100,000 small packets fit (bench:ui's DATA and ACKs: 38 MB);
 * about a hundred 60 KiB packets do.
 */
export const LOG_MAX_BYTES = 64 * MiB;
/** What a log entry costs besides its bytes and strings: the objects around them. */
export const LOG_ENTRY_OVERHEAD_BYTES = 256;

/*
 * Automation: auto-responder rules (shared/automation/rules.ts) and link impairment
 * (shared/automation/impairment.ts). A rules file comes from anyone; these bound what it costs.
 */
export const RULES_LIMITS = {
  /** A rules file larger than this is refused before it is parsed. */
  fileBytes: 256 * 1024,
  rules: 200,
  nameChars: 80,
  /** A `contains` text or a regex pattern. */
  patternChars: 200,
  /** A hex pattern or mask. */
  hexBytes: 256,
  /** A regex sees at most this many characters of a payload's text (its start). */
  regexInputChars: 1024,
  /** The largest {n} or {n,m} a regex may count to (V8's linear engine refuses large counts). */
  regexRepeatMax: 100,
  /** A peer filter (part of "127.0.0.1:50123" or "/dev/ttyUSB0"). */
  peerChars: 200,
  templateChars: 4096,
  delayMs: 60_000,
  splitParts: 16,
  splitGapMs: 5000,
  duplicateCopies: 16,
  junkBytes: 1024,
} as const;

export const IMPAIRMENT_LIMITS = {
  /** An impairment spec (the --impair text or JSON file). */
  specChars: 4096,
  delayMs: 60_000,
  /** Slowest rate limit, bits per second. */
  rateMinBitsPerSecond: 50,
  rateMaxBitsPerSecond: 10_000_000_000,
  /** A packet held back to be reordered goes out at the latest this long after (when no later packet comes). */
  reorderHoldMs: 50,
} as const;

/**
 * File transfer (docs/PROTOCOL.md, "File transfer"): what a sender may make a receiver do.
 * Each is a bound a hostile sender would otherwise set.
 */
export const FILE_TRANSFER_LIMITS = {
  /** The largest file a receiver takes unless told otherwise (--max-file-size). */
  defaultMaxFileSize: 16 * 1024 * MiB,
  /** Offers (accepted or refused) one connection may make; more are refused. */
  maxOffersPerSession: 10_000,
  /** The most bytes a receiver lets be in flight: also the most it ever holds in memory per transfer. */
  receiveWindow: 4 * MiB,
  /**
   * The most a sender puts in flight (the receiver's window): on loopback, 768 KiB was only a
   * few milliseconds of data, so a busy machine's scheduling stalls emptied the pipe. The sender
   * keeps what waits in the session's write queue below that queue's limit (file-sender.ts).
   */
  sendWindowMax: 4 * MiB,
  /** Chunks on a serial line: one bit error costs one chunk, so they stay small. */
  serialChunkMax: 1024,
  /** A receiver drops a transfer that sends nothing for this long (ms); its .part stays for a resume. */
  receiveIdleMs: 60_000,
  /** A sender gives up after this long without progress (ms). */
  sendStallMs: 30_000,
  /** How long a sender waits for the receiver to answer an offer (a person may be asked): ms. */
  offerTimeoutMs: 300_000,
  /** Free space a receiver keeps beyond the file (bytes). */
  freeSpaceMargin: 16 * MiB,
} as const;

/**
 * Remote control (docs/PROTOCOL.md, "Remote control"; the commands file, README "Remote
 * control"). Each is a bound a commands file may lower but never raise: a peer decides how
 * much it asks for, the owner of the controlled machine decides how much it gets.
 */
export const REMOTE_LIMITS = {
  /** Commands one file may allow. */
  maxCommands: 64,
  /** Parameters one command may take. */
  maxParams: 16,
  /** The longest string parameter a command may accept (characters); patterns run on at most this. */
  maxStringParam: 1024,
  /** Values of one enum parameter. */
  maxEnumValues: 64,
  /** A command's timeout: at least 1 s, at most an hour. */
  timeoutSeconds: { min: 1, max: 3600 },
  /** Output (stdout and stderr together) one run may send back; past it the run is stopped. */
  maxOutputBytes: { min: 1, max: 512 * 1024 },
  /** The most output bytes in one RC_OUTPUT message. */
  outputChunkBytes: 4096,
  /** Runs per minute from one peer address (IPv6: its /64). */
  runsPerMinute: { min: 1, max: 600 },
  /** Runs at once on the controlled machine, all peers together. */
  maxConcurrent: { min: 1, max: 16 },
  /** How long a confirm-first command waits for the local user (ms) before it is refused. */
  confirmTimeoutMs: 60_000,
  /** After a cancel or timeout, how long the tree gets after SIGTERM before SIGKILL (ms). */
  killGraceMs: 1000,
  /** The largest RC_LIST payload; a list that would not fit is cut with a note. */
  maxListBytes: 60_000,
  /** The largest RC_RUN body (the command's name and arguments as JSON). */
  maxRunBytes: 32_768,
  /** A refusal's message (bytes). */
  maxRefusalBytes: 1024,
  /** How long an authorised put-file waits for the controller's file offer (ms) before it gives up. */
  putOfferTimeoutMs: 30_000,
} as const;

/** Defaults for what a commands file leaves out. */
export const REMOTE_DEFAULTS = {
  timeoutSeconds: 10,
  maxOutputBytes: 64 * 1024,
  runsPerMinute: 20,
  maxConcurrent: 2,
  /** The largest file put-file takes unless the commands file says (builtins.files.maxPutBytes). */
  maxPutBytes: 100 * MiB,
} as const;
