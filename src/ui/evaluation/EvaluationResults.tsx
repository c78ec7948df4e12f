// Runs on the page: an evaluation's results: accuracy (plain and TTA), confusion matrices, per-class metrics,
// the 3-class valence view and, for a run made in this session, the misclassified gallery and sample predictions.
import { useMemo, useState } from 'react';
import { PIXELS } from '../../core/dataset/face-format';
import { classificationReport, matrixAccuracy } from '../../core/evaluation/metrics';
import { confidentMistakes } from '../../core/evaluation/mistakes';
import { reorderedText } from '../../core/evaluation/label-agreement';
import { referencesFor } from '../../core/evaluation/references';
import type { ModelEvaluation } from '../../core/evaluation/types';
import { valenceMatrix, VALENCES } from '../../core/evaluation/valence';
import { classColors, sameLabelOrder, type LabelSet } from '../../core/labels/label-set';
import { GrayImage } from '../common/GrayImage';
import { formatDuration, formatInt, formatPercent } from '../common/format';
import { AccuracyReferences } from './AccuracyReferences';
import { ClassBars } from './ClassBars';
import { ConfusionMatrixChart } from './ConfusionMatrixChart';
import { MetricsTable } from './MetricsTable';
import { MistakesGallery } from './MistakesGallery';

/** Mistakes shown per true class. */
const MISTAKES_PER_CLASS = 5;
/** Faces listed with their full probabilities (the first of the split). */
const SAMPLE_FACES = 20;

/** What only a run made in this session has: the probabilities and the faces they belong to. */
export interface LiveResult {
  probs: Float32Array;
  ttaProbs: Float32Array | null;
  tenCropProbs: Float32Array | null;
  /** The data set's pixels and labels, and the evaluated rows (index i of probs -> row rows[i]). */
  pixels: Uint8Array;
  labels: Uint8Array;
  rows: Uint32Array;
}

interface EvaluationResultsProps {
  evaluation: ModelEvaluation;
  /** The model's classes: names in output order, colours, and valence groups when they have them. */
  labelSet: LabelSet;
  live: LiveResult | null;
}

/** "negative (Angry, Disgust, Fear, Sad), neutral (Neutral), positive (Happy, Surprise)". */
function valenceGroupsText(set: LabelSet): string {
  return VALENCES.map((group) => `${group.toLowerCase()} (${set.names.filter((_, k) => set.valence?.[k] === group).join(', ') || 'none'})`).join(', ');
}

export function EvaluationResults({ evaluation, labelSet, live }: EvaluationResultsProps) {
  const labels = labelSet.names;
  const colors = useMemo(() => classColors(labelSet), [labelSet]);
  // A model whose classes are the valence groups themselves needs no second, identical valence view.
  const groups = sameLabelOrder(labels, VALENCES) ? undefined : labelSet.valence;
  const references = referencesFor(labels, evaluation);
  const [view, setView] = useState<'plain' | 'tta' | 'ten-crop'>('plain');
  const [normalized, setNormalized] = useState(false);
  const useTta = view === 'tta' && evaluation.tta !== null;
  const useTenCrop = view === 'ten-crop' && !!evaluation.tenCrop;
  const confusion = useTta ? evaluation.tta!.confusion : useTenCrop ? evaluation.tenCrop!.confusion : evaluation.confusion;
  const viewName = useTta ? ' (TTA)' : useTenCrop ? ' (ten-crop)' : '';
  const report = useMemo(() => classificationReport(confusion), [confusion]);
  const valence = useMemo(() => valenceMatrix(confusion, groups), [confusion, groups]);
  const probs = live ? (useTta && live.ttaProbs ? live.ttaProbs : useTenCrop && live.tenCropProbs ? live.tenCropProbs : live.probs) : null;
  const truth = useMemo(() => (live ? Uint8Array.from(live.rows, (row) => live.labels[row]) : null), [live]);
  const mistakes = useMemo(() => (probs && truth ? confidentMistakes(probs, truth, labels.length, MISTAKES_PER_CLASS) : null), [probs, truth, labels.length]);

  return (
    <div className="evaluation-results">
      <div className="eval-headline" data-testid="evaluation-summary">
        <div className="eval-figure">
          <span className="eval-figure-label">Accuracy</span>
          <strong data-testid="eval-accuracy">{formatPercent(evaluation.accuracy)}</strong>
        </div>
        {evaluation.tta && (
          <div className="eval-figure">
            <span className="eval-figure-label">With TTA (original + mirror)</span>
            <strong data-testid="eval-tta-accuracy">{formatPercent(evaluation.tta.accuracy)}</strong>
          </div>
        )}
        {evaluation.tenCrop && (
          <div className="eval-figure">
            <span className="eval-figure-label">With ten-crop</span>
            <strong data-testid="eval-ten-crop-accuracy">{formatPercent(evaluation.tenCrop.accuracy)}</strong>
          </div>
        )}
        <div className="eval-figure">
          <span className="eval-figure-label">Macro F1</span>
          <strong>{report.macro.f1.toFixed(3)}</strong>
        </div>
        {valence && (
          <div className="eval-figure">
            <span className="eval-figure-label">3-class valence</span>
            <strong data-testid="eval-valence-accuracy">{formatPercent(matrixAccuracy(valence))}</strong>
          </div>
        )}
        <p className="muted eval-context" data-testid="evaluation-context">
          <span data-testid="eval-rows">{formatInt(evaluation.rows)}</span> faces of {evaluation.splitLabel} from {evaluation.dataset.name} · {formatDuration(evaluation.durationMs)} on{' '}
          {evaluation.backend} · {new Date(evaluation.evaluatedAt).toLocaleString()}
        </p>
      </div>
      {evaluation.dataLabels && (
        <p className="muted" data-testid="evaluation-reordered">
          {reorderedText(evaluation.dataLabels)}
        </p>
      )}
      {references && (
        <AccuracyReferences
          set={references}
          accuracy={Math.max(evaluation.accuracy, evaluation.tta?.accuracy ?? 0, evaluation.tenCrop?.accuracy ?? 0)}
          what={evaluation.tenCrop && evaluation.tenCrop.accuracy >= Math.max(evaluation.accuracy, evaluation.tta?.accuracy ?? 0) ? 'ten-crop' : evaluation.tta && evaluation.tta.accuracy >= evaluation.accuracy ? 'mirror TTA' : 'plain'}
        />
      )}
      <div className="button-row eval-view">
        {(evaluation.tta || evaluation.tenCrop) && (
          <fieldset className="inline-radios">
            <legend className="sr-only">Predictions to show</legend>
            <label>
              <input type="radio" name="eval-view" checked={!useTta && !useTenCrop} onChange={() => setView('plain')} /> plain predictions
            </label>
            {evaluation.tta && (
              <label>
                <input type="radio" name="eval-view" checked={useTta} onChange={() => setView('tta')} /> with TTA
              </label>
            )}
            {evaluation.tenCrop && (
              <label>
                <input type="radio" name="eval-view" checked={useTenCrop} onChange={() => setView('ten-crop')} /> with ten-crop
              </label>
            )}
          </fieldset>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={normalized} onChange={(e) => setNormalized(e.target.checked)} /> Row-normalised (share of each true class)
        </label>
      </div>
      <div className="matrix-grid">
        <ConfusionMatrixChart
          matrix={confusion}
          labels={labels}
          normalized={normalized}
          title={`Confusion matrix, ${normalized ? 'row-normalised' : 'counts'}${viewName}`}
          testId="confusion-matrix"
          size={Math.max(380, 36 * labels.length)}
        />
        <div>
          <h3>Per class</h3>
          <MetricsTable report={report} labels={labels} testId="class-metrics" />
        </div>
      </div>
      {valence && (
        <div className="matrix-grid valence">
          <ConfusionMatrixChart
            matrix={valence}
            labels={VALENCES}
            normalized={normalized}
            title={`3-class valence: ${valenceGroupsText(labelSet)}`}
            testId="valence-matrix"
            size={260}
          />
          <div>
            <h3>Valence per class</h3>
            <MetricsTable report={classificationReport(valence)} labels={VALENCES} testId="valence-metrics" />
          </div>
        </div>
      )}
      {live && mistakes && probs ? (
        <>
          <h3>Most confident mistakes{viewName}</h3>
          <MistakesGallery mistakes={mistakes} labels={labels} colors={colors} probs={probs} pixels={live.pixels} rows={live.rows} />
          <details className="sample-predictions" data-testid="sample-predictions">
            <summary>Predictions for the first {Math.min(SAMPLE_FACES, live.rows.length)} faces of the split (plain)</summary>
            <ol>
              {Array.from(live.rows.subarray(0, SAMPLE_FACES), (row, i) => (
                <li key={row} data-testid="sample-prediction" data-row={row}>
                  <GrayImage pixels={live.pixels.subarray(row * PIXELS, (row + 1) * PIXELS)} size={48} title={`face ${row + 1}`} />
                  <span className="sample-label">true {labels[live.labels[row]]}</span>
                  <ClassBars labels={labels} colors={colors} probs={live.probs.subarray(i * labels.length, (i + 1) * labels.length)} trueClass={live.labels[row]} />
                </li>
              ))}
            </ol>
          </details>
        </>
      ) : (
        <p className="muted">Run the evaluation to see the misclassified faces (they are not stored with the model).</p>
      )}
    </div>
  );
}
