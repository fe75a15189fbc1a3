import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../electron/main/link/crypto/failure-limiter.ts';

describe('FailureLimiter: password attempts per address', () => {
  it('counts an attempt from its start: parallel attempts cannot all get in before the first failure is known', () => {
    const limiter = new FailureLimiter({ maxFailures: 5, maxConcurrent: 100 });
    const started = Array.from({ length: 20 }, () => limiter.start('192.0.2.7:1000'));
    expect(started.filter((s) => s.ok)).toHaveLength(5);
    expect(started.filter((s) => !s.ok).map((s) => !s.ok && s.why)).toEqual(Array(15).fill('too-many-failures'));
  });

  it('an attempt that succeeds no longer counts; one that never finishes still does', () => {
    const limiter = new FailureLimiter({ maxFailures: 2, maxConcurrent: 10 });
    for (let i = 0; i < 10; i++) {
      const s = limiter.start('192.0.2.7:1');
      if (!s.ok) throw new Error('refused a good client');
      s.attempt.succeeded();
      s.attempt.end();
    }
    const abandoned = limiter.start('192.0.2.7:2');
    if (abandoned.ok) abandoned.attempt.end();
    const wrong = limiter.start('192.0.2.7:3');
    if (wrong.ok) wrong.attempt.end();
    expect(limiter.start('192.0.2.7:4')).toEqual({ ok: false, why: 'too-many-failures' });
  });

  it('checks again at confirmation without counting an attempt against itself: N parallel attempts get N guesses, never more', () => {
    const limiter = new FailureLimiter({ maxFailures: 3, maxConcurrent: 10 });
    const attempts = [1, 2, 3].map((port) => limiter.start(`192.0.2.7:${port}`));
    expect(attempts.map((a) => a.ok && a.attempt.blocked())).toEqual([false, false, false]);
    expect(limiter.start('192.0.2.7:4')).toEqual({ ok: false, why: 'too-many-failures' });
    expect(limiter.start('192.0.2.8:1').ok).toBe(true); // another address does not count
  });

  it('caps attempts under way at once from one address, and frees the slot when one ends', () => {
    const limiter = new FailureLimiter({ maxFailures: 100, maxConcurrent: 2 });
    const a = limiter.start('192.0.2.7:1');
    const b = limiter.start('192.0.2.7:2');
    expect(limiter.start('192.0.2.7:3')).toEqual({ ok: false, why: 'too-many-concurrent' });
    if (a.ok) a.attempt.end();
    if (a.ok) a.attempt.end(); // twice is harmless
    expect(limiter.start('192.0.2.7:4').ok).toBe(true);
    expect(b.ok).toBe(true);
  });

  it('groups IPv6 clients by /64: another address in the same /64 is the same client', () => {
    const limiter = new FailureLimiter({ maxFailures: 2, maxConcurrent: 10 });
    limiter.start('[2001:db8:1:2::1]:1000');
    limiter.start('[2001:db8:1:2::ffff]:1000');
    expect(limiter.start('[2001:db8:1:2:aaaa::7]:1000')).toEqual({ ok: false, why: 'too-many-failures' });
    expect(limiter.start('[2001:db8:1:3::1]:1000').ok).toBe(true);
  });

  it('forgets failures after the window', () => {
    const limiter = new FailureLimiter({ maxFailures: 1, windowMs: 1000, maxConcurrent: 10 });
    limiter.start('192.0.2.7:1', 0);
    expect(limiter.start('192.0.2.7:1', 500).ok).toBe(false);
    expect(limiter.start('192.0.2.7:1', 1500).ok).toBe(true);
  });
});
