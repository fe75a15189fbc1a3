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
