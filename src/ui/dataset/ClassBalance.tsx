// Runs on the page: a stacked bar of class shares per split, with a legend.
import { classColor, type LabelSet } from '../../core/labels/label-set';
import { formatInt, formatPercent } from '../common/format';
import { SPLIT_KEYS, type SplitCounts, type SplitHeaders } from './split-keys';

export function ClassBalance({ counts, headers, labelSet }: { counts: SplitCounts; headers: SplitHeaders; labelSet: LabelSet }) {
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
                      style={{ width: `${(100 * count) / total}%`, background: classColor(labelSet, k) }}
                      title={`${labelSet.names[k]}: ${formatInt(count)} (${formatPercent(count / total)})`}
                    />
                  ) : null,
                )}
            </div>
          </div>
        );
      })}
      <div className="legend">
        {labelSet.names.map((emotion, k) => (
          <span key={emotion}>
            <i style={{ background: classColor(labelSet, k) }} /> {emotion}
          </span>
        ))}
      </div>
    </div>
  );
}
