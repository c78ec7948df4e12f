// Runs on the page: one horizontal bar per class with its probability, the top class highlighted.
interface ProbabilityBarsProps {
  labels: readonly string[];
  /** One CSS colour per class (classifierColors). */
  colors: readonly string[];
  /** One probability 0–1 per label. */
  probs: ArrayLike<number>;
  compact?: boolean;
}

export function ProbabilityBars({ labels, colors, probs, compact = false }: ProbabilityBarsProps) {
  let top = 0;
  for (let i = 1; i < labels.length; i++) if (probs[i] > probs[top]) top = i;
  return (
    <div className={compact ? 'prob-bars compact' : 'prob-bars'} role="list" aria-label="Class probabilities">
      {labels.map((label, i) => {
        const percent = Math.max(0, Math.min(1, probs[i])) * 100;
        return (
          <div
            key={label}
            className={i === top ? 'prob-row top' : 'prob-row'}
            role="listitem"
            data-testid={`prob-${label}`}
            data-value={probs[i]}
          >
            <span className="prob-label">{label}</span>
            <span className="prob-track">
              <span
                className="prob-fill"
                style={{ width: `${percent}%`, background: colors[i] }}
              />
            </span>
            <span className="prob-value">{percent.toFixed(1)} %</span>
          </div>
        );
      })}
    </div>
  );
}
