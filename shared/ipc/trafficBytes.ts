/** How much a traffic event weighs on its way to a window: what the batcher's byte budgets count. */
import { TRAFFIC_EVENT_OVERHEAD_BYTES } from '../limits.ts';
import type { TrafficEvent } from './types.ts';

export function trafficEventBytes(event: TrafficEvent): number {
  if (event.kind !== 'entry') return TRAFFIC_EVENT_OVERHEAD_BYTES;
  return TRAFFIC_EVENT_OVERHEAD_BYTES + event.entry.raw.length + (event.entry.plaintext?.length ?? 0);
}
