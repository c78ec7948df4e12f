// Runs on the page: a model's test accuracy beside published FER2013 figures, on one scale.
import { FER2013_REFERENCES } from '../../core/evaluation/references';
import { formatPercent } from '../common/format';

/** The scale's ends: chance-ish on the left, above every reference on the right. */
const FROM = 0.4;
const TO = 0.8;
const position = (accuracy: number) => `${(100 * (Math.min(TO, Math.max(FROM, accuracy)) - FROM)) / (TO - FROM)}%`;

export function AccuracyReferences({ accuracy, what }: { accuracy: number; what: string }) {
  const rows = [...FER2013_REFERENCES.map((r) => ({ ...r, mine: false })), { label: `This model (${what})`, accuracy, note: '', mine: true }].sort((a, b) => a.accuracy - b.accuracy);
  return (
    <figure className="accuracy-references" data-testid="accuracy-references">
      <figcaption>How it compares: published FER2013 test accuracies</figcaption>
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
      <p className="muted">Scale from {formatPercent(FROM, 0)} to {formatPercent(TO, 0)}. Hover a row for its source.</p>
    </figure>
  );
}
