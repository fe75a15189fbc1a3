/** Error codes of the security layer (MSP v3, msp-secure.py's scheme). Messages never contain a password or key material. */

export type CryptoErrorCode =
  /** The peer's key confirmation failed: the two sides do not share the password. */
  | 'CRYPTO_ERR_WRONG_PASSWORD'
  /** No answer to the v3 handshake: said as it is, never with advice to downgrade. */
  | 'CRYPTO_ERR_NO_HANDSHAKE'
  /** The server has no password, so it cannot open a secure session. */
  | 'CRYPTO_ERR_SERVER_HAS_NO_PASSWORD'
  /** The client's proof was accepted but the server's is wrong: not the server we think. */
  | 'CRYPTO_ERR_SERVER_AUTH'
  /** A handshake message that is malformed, unexpected or unsupported. */
  | 'CRYPTO_ERR_HANDSHAKE'
  /** A sealed packet failed authentication: altered, corrupted or not ours. */
  | 'CRYPTO_ERR_BAD_TAG'
  /** An authentic packet whose sequence number was already used. */
  | 'CRYPTO_ERR_REPLAY'
  /** An authentic packet that skips sequence numbers: packets lost or reordered. */
  | 'CRYPTO_ERR_OUT_OF_ORDER'
  /** Plaintext DATA (or ACK) on a link that requires encryption. */
  | 'CRYPTO_ERR_PLAINTEXT_REFUSED'
  /** msp-secure.py's scheme could not decrypt (bad padding: most likely a wrong password). */
  | 'CRYPTO_ERR_LEGACY_DECRYPT'
  /** msp-secure.py's scheme arrived at a server that refuses it (no --legacy). */
  | 'CRYPTO_ERR_LEGACY_REFUSED'
  /** Too many failed passwords from one address: refused for a while. */
  | 'CRYPTO_ERR_TOO_MANY_FAILURES'
  /** A message too large to fit in a sealed packet. */
  | 'CRYPTO_ERR_TOO_LARGE'
  /** Sending before the peer chose how to protect the link. */
  | 'CRYPTO_ERR_NOT_READY'
  /** The per-direction packet counter reached its limit: reconnect. */
  | 'CRYPTO_ERR_EXHAUSTED'
  /** The peer sent an alert: it rejected something we sent and ended the session. */
  | 'CRYPTO_ERR_PEER_REJECTED';
