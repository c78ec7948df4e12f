// Runs on the page: choose the split (Usage column or seeded random) and the standardisation rows.
import { SEED_SPLIT_FRACTION, type SplitOptions } from '../../core/dataset/splits';

interface SplitControlsProps {
  split: SplitOptions;
  seedFaithful: boolean;
  hasUsage: boolean;
  onSplit: (split: SplitOptions) => void;
  onSeedFaithful: (value: boolean) => void;
}

export function SplitControls({ split, seedFaithful, hasUsage, onSplit, onSeedFaithful }: SplitControlsProps) {
  const percent = SEED_SPLIT_FRACTION * 100;
  return (
    <fieldset className="split-controls">
      <legend>Split and standardisation</legend>
      <label>
        <input
          type="radio"
          name="split"
          checked={split.strategy === 'usage'}
          disabled={!hasUsage}
          onChange={() => onSplit({ ...split, strategy: 'usage' })}
        />{' '}
        Usage column: Training → train, PublicTest → validation, PrivateTest → test
        {!hasUsage && <span className="muted"> (this file has no Usage column)</span>}
      </label>
      <label>
        <input
          type="radio"
          name="split"
          checked={split.strategy === 'seed'}
          onChange={() => onSplit({ ...split, strategy: 'seed' })}
        />{' '}
        Seed split (as the 2018 tutorial): random {percent} % test, then {percent} % of the rest validation ·{' '}
        <span data-testid="split-seed">seed {split.seed}</span>
      </label>
      <label>
        <input type="checkbox" checked={seedFaithful} onChange={(e) => onSeedFaithful(e.target.checked)} /> Seed-faithful
        standardisation: per-pixel mean/std over <em>all</em> rows, test included, as the tutorial did (default: training rows
        only, so no test information leaks into training)
      </label>
    </fieldset>
  );
}
