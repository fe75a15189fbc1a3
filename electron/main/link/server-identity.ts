/**
 * The server identity MSP v3 binds into its handshake (CPace's CI): the SHA-256 fingerprint of
 * the server's TLS certificate when the session runs inside TLS, empty otherwise. The client
 * takes the certificate it pinned or verified, the server its own; a TLS relay with another
 * certificate then makes the two sides disagree, and the handshake fails.
 */

/** "AB:CD:…" (32 bytes of hex, any separators) to the 32 raw bytes. */
export function fingerprintBytes(fingerprint: string): Uint8Array {
  const hex = fingerprint.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError(`not a SHA-256 fingerprint: ${fingerprint}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
