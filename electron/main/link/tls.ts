/**
 * TLS as a transport for MSP (node:tls, TLS 1.3 only): a server identity (its own files or a
 * self-signed certificate made on the fly), certificate fingerprints for pinning, and
 * errors a person can act on. TcpServer and connectTcp take these options.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { fail, ok, type Result } from '../../../shared/result.ts';
import { linkError, linkErrorFromNode, type LinkError } from './errors.ts';

export const TLS_MIN_VERSION = 'TLSv1.3';

/** What a TLS server presents. */
export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), "AB:CD:…": what clients pin. */
  fingerprint: string;
}

/** How a TLS client decides to trust the server. */
export interface TlsClientOptions {
  /** Pin: accept exactly the certificate with this SHA-256 fingerprint (any hex form). */
  fingerprint?: string;
  /** Extra trusted CA certificates (PEM), besides the trust store. */
  ca?: string;
}

/** A self-signed ECDSA P-256 certificate for this run, valid for localhost and this machine's loopbacks. */
export async function selfSignedIdentity(commonName = 'MSP Workbench'): Promise<TlsIdentity> {
  // Loaded only when needed: it costs every other start of the CLI some 50 ms.
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: certificateFingerprint(pems.cert) };
}

/** A certificate and key read from files (PEM); checks that they belong together. */
export function tlsIdentity(cert: string, key: string): Result<TlsIdentity, LinkError> {
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) {
      return fail(linkError('LINK_ERR_TLS_CERTIFICATE', 'The TLS key does not belong to the certificate.'));
    }
    return ok({ cert, key, fingerprint: x509.fingerprint256 });
  } catch (error) {
    return fail(linkError('LINK_ERR_TLS_CERTIFICATE', `The TLS certificate or key is not usable PEM: ${(error as Error).message}`));
  }
}

export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** "ab:cd…", "ABCD…", "AB CD …" → "AB:CD:…"; undefined unless it is 32 bytes of hex. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

/** Options for tls.connect: pinned (no CA check, the pin decides) or checked against the trust store. */
export function tlsConnectOptions(host: string, options: TlsClientOptions): tls.ConnectionOptions {
  const common: tls.ConnectionOptions = {
    minVersion: TLS_MIN_VERSION,
    ...(isIP(host) ? {} : { servername: host }),
  };
  if (options.fingerprint !== undefined) return { ...common, rejectUnauthorized: false };
  const ca = trustedCertificates(options.ca);
  return { ...common, rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

/**
 * Node's default CAs plus the operating system's where the runtime can list them
 * (tls.getCACertificates: Node 22.15+, Electron), plus the user's own CA. Elsewhere
 * (Node 20) undefined keeps Node's default store, which NODE_EXTRA_CA_CERTS and
 * --use-openssl-ca (the system's OpenSSL store) extend.
 */
function trustedCertificates(extraCa: string | undefined): string[] | undefined {
  const getCa = (tls as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  const extra = extraCa ? [extraCa] : [];
  if (getCa) return [...getCa('default'), ...safe(() => getCa('system')), ...extra];
  return extraCa ? [...tls.rootCertificates, ...extra] : undefined;
}

function safe(read: () => string[]): string[] {
  try {
    return read();
  } catch {
    return [];
  }
}

/** After the TLS handshake: is this the server we pinned? */
export function checkPinnedCertificate(socket: tls.TLSSocket, pinned: string, where: string): LinkError | undefined {
  const actual = socket.getPeerCertificate()?.fingerprint256;
  const expected = normalizeFingerprint(pinned);
  if (actual && expected && actual.toUpperCase() === expected) return undefined;
  return linkError(
    'LINK_ERR_TLS_FINGERPRINT',
    `The TLS certificate of ${where} is not the pinned one: its SHA-256 fingerprint is ${actual ?? 'missing'}, ` +
      `not ${expected ?? pinned}. It may be another server, a new certificate, or someone in the middle; nothing was sent.`,
  );
}

const UNTRUSTED: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no trusted authority signed it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no trusted authority signed it',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another name',
};

/** A TLS client's error before the session exists, in words. */
export function tlsErrorFromNode(error: unknown, where: string): LinkError {
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  if (code in UNTRUSTED) {
    return linkError(
      'LINK_ERR_TLS_UNTRUSTED',
      `The TLS certificate of ${where} is not trusted: ${UNTRUSTED[code]}. If the server made its own certificate, ` +
        'pin the fingerprint it prints (--tls-fingerprint).',
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return linkError(
      'LINK_ERR_TLS_HANDSHAKE',
      `The TLS handshake with ${where} failed (${(error as Error).message.split('\n')[0]}): the server may not speak TLS 1.3, or not TLS at all.`,
    );
  }
  return linkErrorFromNode(error, where);
}
