/** Rates each way, the ACK round trip, and the last minute as a chart. */
import { useLanguage, useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Panel } from '../../ui/controls.tsx';
import { formatBytesPerSec, formatCount, formatMs } from '../../ui/format.ts';
import { RateChart } from './RateChart.tsx';

export function RatesPanel() {
  const t = useT();
  const language = useLanguage();
  const rates = useApp((s) => s.rates);
  const last = rates.at(-1);
  const rtt = last?.rtt;
  return (
    <Panel title={t('rates.title')} testId="rates-panel">
      <div className="rate-grid">
        <div className="rate-cell">
          <span className="rate-label"><span className="legend legend-in" />{t('rates.in')}</span>
          <span className="rate-value" data-testid="rate-in">{t('rates.packets', { n: formatCount(last?.packetsInPerSec ?? 0, language) })}</span>
          <span className="rate-sub">{formatBytesPerSec(last?.bytesInPerSec ?? 0, language)}</span>
        </div>
        <div className="rate-cell">
          <span className="rate-label"><span className="legend legend-out" />{t('rates.out')}</span>
          <span className="rate-value" data-testid="rate-out">{t('rates.packets', { n: formatCount(last?.packetsOutPerSec ?? 0, language) })}</span>
          <span className="rate-sub">{formatBytesPerSec(last?.bytesOutPerSec ?? 0, language)}</span>
        </div>
      </div>
      <div className="rtt" data-testid="rtt">
        <span className="rate-label">{t('rates.rtt')}</span>
        {rtt ? (
          <dl className="rtt-figures">
            <div><dd>{formatMs(rtt.minMs)}</dd><dt>{t('rates.min')}</dt></div>
            <div><dd>{formatMs(rtt.avgMs)}</dd><dt>{t('rates.avg')}</dt></div>
            <div><dd>{formatMs(rtt.p99Ms)}</dd><dt>{t('rates.p99')}</dt></div>
          </dl>
        ) : (
          <span className="rate-sub">{t('rates.noRtt')}</span>
        )}
      </div>
      <RateChart samples={rates} label={t('rates.chart')} />
    </Panel>
  );
}
