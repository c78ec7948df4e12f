// Runs on the page: a stacked bar of class shares per split, with a legend.
import { EMOTIONS } from '../../core/emotions';
import { CLASS_COLORS } from '../common/class-colors';
import { formatInt, formatPercent } from '../common/format';
import { SPLIT_KEYS, type SplitCounts, type SplitHeaders } from './split-keys';

export function ClassBalance({ counts, headers }: { counts: SplitCounts; headers: SplitHeaders }) {
  return (
    <div className="class-balance" data-testid="class-balance">
      {SPLIT_KEYS.map((key) => {
        const total = counts[key].reduce((a, b) => a + b, 0);
        return (
          <div key={key} className="balance-row">
            <span className="balance-label">{headers[key]}</span>
            <div className="balance-bar">
              {total > 0 &&
                counts[key].map((count, k) =>
                  count > 0 ? (
                    <span
                      key={k}
                      style={{ width: `${(100 * count) / total}%`, background: CLASS_COLORS[k] }}
                      title={`${EMOTIONS[k]}: ${formatInt(count)} (${formatPercent(count / total)})`}
                    />
                  ) : null,
                )}
            </div>
          </div>
        );
      })}
      <div className="legend">
        {EMOTIONS.map((emotion, k) => (
          <span key={emotion}>
            <i style={{ background: CLASS_COLORS[k] }} /> {emotion}
          </span>
        ))}
      </div>
    </div>
  );
}
