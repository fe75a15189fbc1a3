/**
 * One party of a CPace run (draft-irtf-cfrg-cpace-21, section 7 "The CPace protocol"):
 *
 *   start:  g = calculate_generator(PRS, CI, sid), y = sample_scalar(), Y = scalar_mult(y, g);
 *           send (Y, AD)
 *   finish: K = scalar_mult_vfy(y, Y_peer), abort if it fails (G.I);
 *           ISK = H(lv_cat(DSI_ISK, sid, K) || transcript(Ya, ADa, Yb, ADb))
 *
 * Both parties get the same ISK only with the same PRS, CI and sid and the same view of both
 * messages. A man in the middle who does not know the password gets one guess per run: it can
 * pick one PRS to build its share with, and nothing it receives lets it test another offline.
 *
 * This is the core only: no key confirmation (section 10.4), no wire format. The caller bounds
 * the sizes of AD and of everything else it reads from the peer before handing them here.
 */
import { cryptoError, type CryptoError } from '../errors.ts';
import { calculateGenerator } from './generator.ts';
import { sampleScalar, scalarMult, scalarMultVfy, type Scalar, type ShareProblem } from './ristretto255-group.ts';
import { intermediateSessionKey } from './session-key.ts';
import { transcript, type CPaceMessage } from './transcript.ts';

/**
 * 'initiator' is party A (its message is Ya, ADa), 'responder' is party B; both use
 * transcript_ir. 'symmetric' is for runs without fixed roles (transcript_oc); section 10.1
 * then asks for ADs unique per session.
 */
export type CPaceRole = 'initiator' | 'responder' | 'symmetric';

export interface CPaceInputs {
  /** PRS, the password-related string: e.g. the password as NFC UTF-8 (RFC 8265), or a KDF output. */
  prs: Uint8Array;
  /** CI, the channel identifier: secret or public, both sides must hold the same bytes. Party ids belong here (section 10.1.1). */
  ci: Uint8Array;
  /** sid, the session id: public, unique per session, known to both sides before the run (section 10.9). */
  sid: Uint8Array;
  /** Our associated data (ADa or ADb): sent in clear with our share and authenticated by ISK. */
  ad: Uint8Array;
  role: CPaceRole;
}

/** A refused peer share: a malformed handshake message, with the precise reason for logs and tests. */
export interface CPaceRejection extends CryptoError {
  code: 'CRYPTO_ERR_HANDSHAKE';
  problem: ShareProblem;
}

export type CPaceResult = { ok: true; value: { isk: Uint8Array } } | { ok: false; error: CPaceRejection };

const PROBLEM_TEXT: Record<ShareProblem, string> = {
  'wrong-length': 'is not 32 bytes long',
  'not-an-element': 'is not a valid ristretto255 element',
  identity: 'is the identity element',
};

export class CPaceParty {
  /** What we send to the peer: our public share Y and our AD. */
  readonly message: CPaceMessage;

  private constructor(
    private readonly inputs: CPaceInputs,
    private readonly y: Scalar,
    share: Uint8Array,
  ) {
    this.message = { share, ad: inputs.ad };
  }

  /**
   * Computes the generator and our share. `scalar` is for test vectors only: a scalar must
   * never be used for two runs (section 10.9), so by default each party draws a fresh one.
   */
  static start(inputs: CPaceInputs, scalar: Scalar = sampleScalar()): CPaceParty {
    const g = calculateGenerator(inputs.prs, inputs.ci, inputs.sid);
    return new CPaceParty(inputs, scalar, scalarMult(scalar, g));
  }

  /** Checks the peer's share and derives ISK. Never throws on hostile bytes. */
  finish(peer: CPaceMessage): CPaceResult {
    const k = scalarMultVfy(this.y, peer.share);
    if (!k.ok) {
      const text = `The peer's CPace share ${PROBLEM_TEXT[k.problem]}: the handshake was altered or the peer is not a compatible MSP implementation.`;
      return { ok: false, error: { ...cryptoError('CRYPTO_ERR_HANDSHAKE', text), code: 'CRYPTO_ERR_HANDSHAKE', problem: k.problem } };
    }
    const [a, b] = this.inputs.role === 'responder' ? [peer, this.message] : [this.message, peer];
    const mode = this.inputs.role === 'symmetric' ? 'symmetric' : 'initiator-responder';
    const isk = intermediateSessionKey(this.inputs.sid, k.value, transcript(mode, a, b));
    k.value.fill(0);
    return { ok: true, value: { isk } };
  }
}
