// Runs on the page: a model's test accuracy beside published figures for the same classes, on one scale.
import type { ReferenceSet } from '../../core/evaluation/references';
import { formatPercent } from '../common/format';

export function AccuracyReferences({ accuracy, what, set }: { accuracy: number; what: string; set: ReferenceSet }) {
  const position = (value: number) => `${(100 * (Math.min(set.to, Math.max(set.from, value)) - set.from)) / (set.to - set.from)}%`;
  const rows = [...set.references.map((r) => ({ ...r, mine: false })), { label: `This model (${what})`, accuracy, note: '', mine: true }].sort((a, b) => a.accuracy - b.accuracy);
  return (
    <figure className="accuracy-references" data-testid="accuracy-references">
      <figcaption>How it compares: {set.title}</figcaption>
      <ul>
        {rows.map((row) => (
          <li key={row.label} className={row.mine ? 'mine' : undefined} title={row.note}>
            <span className="ref-label">{row.label}</span>
            <span className="ref-track">
              <span className="ref-bar" style={{ width: position(row.accuracy) }} />
            </span>
            <span className="ref-value">{formatPercent(row.accuracy)}</span>
          </li>
        ))}
      </ul>
      <p className="muted">Scale from {formatPercent(set.from, 0)} to {formatPercent(set.to, 0)}. Hover a row for its source.</p>
    </figure>
  );
}
