import { describe, expect, it } from 'vitest';
import { RateMeter, RTT_WINDOW } from '../../electron/main/app/rate-meter.ts';

describe('rates panel figures', () => {
  it('packets and bytes per second each way, over the time since the last tick', () => {
    const meter = new RateMeter(1000);
    meter.countIn(160, 10);
    meter.countOut(90, 10);
    meter.countIn(5, 0); // skipped junk: bytes, not packets
    expect(meter.tick(3000)).toMatchObject({
      at: 3000,
      packetsInPerSec: 5,
      packetsOutPerSec: 5,
      bytesInPerSec: 82.5,
      bytesOutPerSec: 45,
      rtt: null,
    });
    expect(meter.tick(4000)).toMatchObject({ packetsInPerSec: 0, bytesOutPerSec: 0 });
  });

  it('ACK round trip: min, average and 99th percentile', () => {
    const meter = new RateMeter(0);
    for (let i = 1; i <= 100; i++) meter.recordRtt(i);
    expect(meter.tick(1000).rtt).toEqual({ count: 100, minMs: 1, avgMs: 50.5, p99Ms: 99 });
  });

  it('keeps only the most recent round trips, so a long run uses bounded memory', () => {
    const meter = new RateMeter(0);
    meter.recordRtt(0.001);
    for (let i = 0; i < RTT_WINDOW; i++) meter.recordRtt(5);
    expect(meter.tick(1000).rtt).toMatchObject({ count: RTT_WINDOW, minMs: 5 });
  });
});
