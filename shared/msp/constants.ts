/** Wire constants of MSP, exactly as msp.py / msp-secure.py put them on the wire. */

export const SYNC_0 = 0xaa;
export const SYNC_1 = 0x55;

/** SYNC(2) + LENGTH(2) + VERSION(1) + TYPE(1). */
export const HEADER_SIZE = 6;
export const CRC_SIZE = 1;
/** LENGTH counts the whole packet, so an empty payload gives 7. */
export const MIN_PACKET_SIZE = HEADER_SIZE + CRC_SIZE;
/** LENGTH is a big-endian u16. */
export const MAX_PACKET_SIZE = 0xffff;
export const MAX_PAYLOAD_SIZE = MAX_PACKET_SIZE - MIN_PACKET_SIZE; // 65528

/** VERSION byte: msp.py sends 1, msp-secure.py sends 2 for every packet. */
export const VERSION_PLAIN = 1;
export const VERSION_SECURE = 2;
/** VERSION byte of every MSP v3 secure-session packet (docs/PROTOCOL.md). */
export const VERSION_V3 = 3;

/** The original's default TCP port. */
export const DEFAULT_PORT = 9009;

/** The public demonstration password of `msp-secure.py --secure`. Worthless as a secret. */
export const DEMO_PASSWORD = 'MinokamoSecure2024';

/**
 * Limits on what the decoder reports about bytes that are not packets, so a hostile
 * peer's junk costs output proportional to the log of its size, never to its size.
 */
/** A rejected frame or skipped run carries at most this many of its first bytes (`length` gives its span). */
export const REJECT_PREFIX_BYTES = 32;
/** Rejected frames and skipped runs reported one by one after each valid packet; later ones are only counted. */
export const DETAILED_REJECTS = 8;
/** Counted (suppressed) bytes that bring the first summary; each later summary waits for twice as many. */
export const FIRST_SUMMARY_BYTES = 4096;
