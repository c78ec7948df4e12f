// Runs on the page: folds evaluation-worker events into the Evaluate screen's state (pure, tested without a DOM).
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { BackendInfo } from '../../workers/backend-choice';
import type { EvaluationEvent, EvaluationOutcome } from '../../workers/evaluation-protocol';

export type EvaluationStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface EvaluationRunState {
  status: EvaluationStatus;
  runId: string | null;
  modelId: string | null;
  modelName: string;
  splitLabel: string;
  done: number;
  total: number;
  elapsedMs: number;
  backend: BackendInfo | null;
  outcome: EvaluationOutcome | null;
  /** The data set and rows the run used, so the gallery shows the very faces that were evaluated. */
  dataset: LoadedDataset | null;
  rows: Uint32Array | null;
  error: string | null;
}

export const initialEvaluationRunState: EvaluationRunState = {
  status: 'idle',
  runId: null,
  modelId: null,
  modelName: '',
  splitLabel: '',
  done: 0,
  total: 0,
  elapsedMs: 0,
  backend: null,
  outcome: null,
  dataset: null,
  rows: null,
  error: null,
};

export type EvaluationAction =
  | { type: 'begin'; runId: string; modelId: string; modelName: string; splitLabel: string; dataset: LoadedDataset; rows: Uint32Array }
  | EvaluationEvent;

export function reduceEvaluationRun(state: EvaluationRunState, action: EvaluationAction): EvaluationRunState {
  if (action.type === 'begin') {
    const { runId, modelId, modelName, splitLabel, dataset, rows } = action;
    return { ...initialEvaluationRunState, status: 'running', runId, modelId, modelName, splitLabel, dataset, rows, total: rows.length };
  }
  // Events of other runs (an older evaluation, an import) are not this screen's business.
  if (action.runId !== state.runId || state.status !== 'running') return state;
  switch (action.type) {
    case 'backend':
      return { ...state, backend: action.info };
    case 'progress':
      return { ...state, done: action.done, total: action.total, elapsedMs: action.elapsedMs };
    case 'done':
      return { ...state, status: 'done', outcome: action.outcome, done: state.total, elapsedMs: action.outcome.evaluation.durationMs };
    case 'cancelled':
      return { ...state, status: 'cancelled' };
    case 'error':
      return { ...state, status: 'error', error: action.message };
    case 'imported':
      return state;
    default:
      action satisfies never;
      return state;
  }
}
