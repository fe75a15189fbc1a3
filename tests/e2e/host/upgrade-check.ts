/**
 * Who may open the test host's WebSocket: only a page the host served itself (the Origin
 * header) that knows the host's random token (given to the page in the URL fragment, which
 * a browser never sends to a server). A tab on another site fails the Origin check; another
 * local user, who can forge an Origin, does not know the token. Without both, nobody else
 * can drive a full backend (which can listen on 0.0.0.0) while the tests run.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SOCKET_PATH, TOKEN_QUERY_KEY } from './wire.ts';

export function newHostToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Why an upgrade request is refused, or undefined when it may open. */
export function upgradeRefusal(
  request: { url?: string; headers: { origin?: string } },
  expected: { origin: string; token: string },
): string | undefined {
  const url = new URL(request.url ?? '/', 'http://host');
  if (url.pathname !== SOCKET_PATH) return 'no such path';
  if (request.headers.origin !== expected.origin) return 'wrong origin';
  const given = Buffer.from(url.searchParams.get(TOKEN_QUERY_KEY) ?? '');
  const wanted = Buffer.from(expected.token);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'wrong token';
  return undefined;
}
