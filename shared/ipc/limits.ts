/** Limits both sides agree on, in a file of its own so the renderer does not pull in the schema library for them. */

/** Sent inputs remembered in the send box's history. */
export const HISTORY_LIMIT = 50;

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
