/** Packets per second in and out over the last minute, as two lines. */
import type { RateSample } from '../../../../shared/ipc/types.ts';
import { RATE_HISTORY } from '../../store/ratesSlice.ts';

const WIDTH = 280;
const HEIGHT = 56;

/** Where the oldest sample sits: the chart fills from the right as samples arrive. */
function firstX(count: number): number {
  return ((RATE_HISTORY - count) / (RATE_HISTORY - 1)) * WIDTH;
}

export function RateChart({ samples, label }: { samples: RateSample[]; label: string }) {
  const peak = Math.max(1, ...samples.map((s) => Math.max(s.packetsInPerSec, s.packetsOutPerSec)));
  const points = (pick: (s: RateSample) => number) =>
    samples
      .map((s, i) => {
        const x = ((RATE_HISTORY - samples.length + i) / (RATE_HISTORY - 1)) * WIDTH;
        const y = HEIGHT - 2 - (pick(s) / peak) * (HEIGHT - 4);
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(' ');
  return (
    <figure className="rate-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
        <line x1="0" x2={WIDTH} y1={HEIGHT - 1} y2={HEIGHT - 1} className="chart-axis" />
        <line x1="0" x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} className="chart-grid" />
        {samples.length > 1 && (
          <polygon points={`${firstX(samples.length)},${HEIGHT} ${points((s) => s.packetsInPerSec)} ${WIDTH},${HEIGHT}`} className="chart-area-in" />
        )}
        {samples.length > 1 && <polyline points={points((s) => s.packetsOutPerSec)} className="chart-line chart-out" />}
        {samples.length > 1 && <polyline points={points((s) => s.packetsInPerSec)} className="chart-line chart-in" />}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
