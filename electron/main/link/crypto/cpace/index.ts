/** CPace on ristretto255 with SHA-512 (draft-irtf-cfrg-cpace-21): the pure crypto core. */
export { CPaceParty, type CPaceInputs, type CPaceRejection, type CPaceResult, type CPaceRole } from './party.ts';
export { HASH_BLOCK_SIZE, calculateGenerator, generatorString } from './generator.ts';
export { concatBytes, lvCat, prependLen } from './length-value.ts';
export { lexicographicallyLarger, oCat } from './ordered-concatenation.ts';
export {
  DSI,
  ELEMENT_SIZE,
  GROUP_ORDER,
  GROUP_SIZE_BITS,
  IDENTITY_ENCODING,
  sampleScalar,
  scalarFromBytes,
  scalarMult,
  scalarMultVfy,
  type GroupElement,
  type Scalar,
  type ShareProblem,
  type VerifiedMult,
} from './ristretto255-group.ts';
export { DSI_ISK, ISK_SIZE, intermediateSessionKey, sidOutput } from './session-key.ts';
export { transcript, transcriptIr, transcriptOc, type CPaceMessage, type TranscriptMode } from './transcript.ts';
