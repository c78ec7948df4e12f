// Runs on the page: the Data screen's class choice: the file's classes, merged into valence, Disgust folded into
// Anger, or one left out. Applied by the dataset worker on the loaded data set (no reload of the file).
import { useMemo } from 'react';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { sameMapping, sourceClassesOf } from '../../core/dataset/remap-classes';
import { classChoices, mappingStatement, rowsLeftOut } from '../../core/labels/class-choices';
import { classColor } from '../../core/labels/label-set';
import type { LabelMapping } from '../../core/labels/mapping';

interface ClassMappingCardProps {
  dataset: LoadedDataset;
  /** True while a load or another choice is running. */
  busy: boolean;
  onChoose: (mapping: LabelMapping | null) => void;
}

export function ClassMappingCard({ dataset, busy, onChoose }: ClassMappingCardProps) {
  const source = sourceClassesOf(dataset);
  const choices = useMemo(() => classChoices(source.labelSet), [source.labelSet]);
  const applied = dataset.buffers.mapping ?? null;
  const current = choices.find((choice) => sameMapping(choice.mapping, applied))?.key ?? 'other';
  const statement = useMemo(() => (applied ? mappingStatement(applied, rowsLeftOut(source.labels, dataset.buffers.labels)) : null), [applied, source.labels, dataset.buffers.labels]);
  const { labelSet } = dataset.buffers;
  return (
    <section className="card class-mapping" data-testid="class-mapping">
      <div className="row-between">
        <label className="field">
          <span>Classes</span>
          <select
            aria-label="Classes"
            value={current}
            disabled={busy}
            onChange={(e) => {
              const choice = choices.find(({ key }) => key === e.target.value);
              if (choice) onChoose(choice.mapping);
            }}
          >
            {current === 'other' && <option value="other">{applied?.title}</option>}
            {choices.map((choice) => (
              <option key={choice.key} value={choice.key}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <ul className="class-swatches" aria-label="Classes in use">
          {labelSet.names.map((name, k) => (
            <li key={name}>
              <span className="swatch" style={{ background: classColor(labelSet, k) }} /> {name}
            </li>
          ))}
        </ul>
      </div>
      <p className={statement ? undefined : 'muted'} data-testid="class-mapping-statement">
        {statement ?? `The file’s ${labelSet.names.length} classes, as they are. Merging or leaving some out is applied here, at once, and saved with every model trained on it.`}
      </p>
    </section>
  );
}
