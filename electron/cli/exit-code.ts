/** The CLI's exit codes: 0 done, 1 something failed while running, 2 bad input (the user can fix the command). */
import type { LinkError, LinkErrorCode } from '../main/link/errors.ts';

const BAD_INPUT: readonly LinkErrorCode[] = [
  'LINK_ERR_HOST_NOT_FOUND',
  'LINK_ERR_ADDR_NOT_AVAILABLE',
  'LINK_ERR_PORT_NOT_FOUND',
  'LINK_ERR_UNSUPPORTED_SETTING',
  'LINK_ERR_PACKET_TOO_LARGE',
];

export function exitCodeFor(error: LinkError): 1 | 2 {
  return BAD_INPUT.includes(error.code) ? 2 : 1;
}
