import { describe, expect, it } from 'vitest';
import { Backoff, isTransient } from '../../electron/main/link/reconnect.ts';
import { linkError } from '../../electron/main/link/errors.ts';

describe('Backoff', () => {
  it('pauses 0.1 s, then twice as long each time, at most 5 s, and stops when the retries are spent', () => {
    const backoff = new Backoff(8);
    const delays = Array.from({ length: 9 }, () => backoff.next());
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, undefined]);
    expect(backoff.attempts).toBe(8);
  });

  it('with no retries, never retries', () => {
    expect(new Backoff(0).next()).toBeUndefined();
  });
});

describe('which failures are worth retrying', () => {
  it.each([
    ['LINK_ERR_REFUSED', true],
    ['LINK_ERR_RESET', true],
    ['LINK_ERR_CLOSED', true],
    ['LINK_ERR_CONNECT_TIMEOUT', true],
    ['LINK_ERR_HOST_NOT_FOUND', false],
    ['LINK_ERR_BAD_REPLY', false],
    ['LINK_ERR_ACK_TIMEOUT', false],
  ] as const)('%s: %s', (code, transient) => {
    expect(isTransient(linkError(code, 'x'))).toBe(transient);
  });
});
