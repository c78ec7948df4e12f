// Runs on the page: one small horizontal bar per class with its probability; the true class outlined.
interface ClassBarsProps {
  labels: readonly string[];
  /** One CSS colour per class (the model's label set: classColors). */
  colors: readonly string[];
  /** One probability 0–1 per label. */
  probs: ArrayLike<number>;
  trueClass: number;
}

export function ClassBars({ labels, colors, probs, trueClass }: ClassBarsProps) {
  return (
    <div className="class-bars" role="list" aria-label="Class probabilities" data-probs={Array.from(probs).join(' ')}>
      {labels.map((label, i) => {
        const percent = Math.max(0, Math.min(1, probs[i])) * 100;
        return (
          <div key={label} className={i === trueClass ? 'class-bar true-class' : 'class-bar'} role="listitem" title={`${label}: ${percent.toFixed(1)} %`}>
            <span className="class-bar-label">{label}</span>
            <span className="class-bar-track">
              <span className="class-bar-fill" style={{ width: `${percent}%`, background: colors[i] }} />
            </span>
            <span className="class-bar-value">{percent.toFixed(0)}</span>
          </div>
        );
      })}
    </div>
  );
}
