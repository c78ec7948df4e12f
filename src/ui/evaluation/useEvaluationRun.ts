// Runs on the page: starts and cancels evaluations in the evaluation worker and folds its events.
import { useCallback, useEffect, useReducer } from 'react';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { EvaluationSplit } from '../../core/evaluation/types';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import { evaluationClient } from '../../workers/evaluation-client';
import { newRunId } from '../../workers/worker-bridge';
import { buildEvaluationData, type EvaluationRows } from './evaluation-rows';
import { initialEvaluationRunState, reduceEvaluationRun } from './evaluation-run-state';

export function useEvaluationRun() {
  const [state, dispatch] = useReducer(reduceEvaluationRun, initialEvaluationRunState);

  useEffect(() => evaluationClient.subscribe(dispatch), []);

  const start = useCallback((meta: ModelMetadata, dataset: LoadedDataset, chosen: EvaluationRows, split: EvaluationSplit, tta: { mirror: boolean; tenCrop: boolean }) => {
    const runId = newRunId();
    dispatch({ type: 'begin', runId, modelId: meta.id, modelName: meta.name, splitLabel: chosen.splitLabel, dataset, rows: chosen.rows });
    evaluationClient.evaluate(runId, meta.id, buildEvaluationData(dataset, chosen, split), tta);
  }, []);

  const cancel = useCallback(() => state.runId && evaluationClient.cancel(state.runId), [state.runId]);

  return { state, start, cancel };
}

export type EvaluationRun = ReturnType<typeof useEvaluationRun>;
