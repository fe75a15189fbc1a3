/**
 * The protocol transcript hashed into the session key (draft-irtf-cfrg-cpace-21, section 6.3
 * "transcript(Ya,ADa, Yb,ADb)", Appendix A.3.4 and A.3.6). Ya/ADa is always the initiator's
 * message (party A), Yb/ADb the responder's (party B).
 */
import { concatBytes, lvCat } from './length-value.ts';
import { oCat } from './ordered-concatenation.ts';

/** The message one party sends: its public share Y and its associated data AD (sent in clear). */
export interface CPaceMessage {
  share: Uint8Array;
  ad: Uint8Array;
}

/**
 * How the two messages are ordered in the transcript:
 * - 'initiator-responder': A always speaks first: transcript_ir = lv_cat(Ya,ADa) || lv_cat(Yb,ADb).
 * - 'symmetric': either may speak first: transcript_oc = o_cat(lv_cat(Ya,ADa), lv_cat(Yb,ADb)).
 */
export type TranscriptMode = 'initiator-responder' | 'symmetric';

/** transcript_ir(Ya, ADa, Yb, ADb) (Appendix A.3.4). */
export function transcriptIr(a: CPaceMessage, b: CPaceMessage): Uint8Array {
  return concatBytes(lvCat(a.share, a.ad), lvCat(b.share, b.ad));
}

/** transcript_oc(Ya, ADa, Yb, ADb) (Appendix A.3.6): the same bytes whichever message is `a`. */
export function transcriptOc(a: CPaceMessage, b: CPaceMessage): Uint8Array {
  return oCat(lvCat(a.share, a.ad), lvCat(b.share, b.ad));
}

export function transcript(mode: TranscriptMode, a: CPaceMessage, b: CPaceMessage): Uint8Array {
  return mode === 'symmetric' ? transcriptOc(a, b) : transcriptIr(a, b);
}
