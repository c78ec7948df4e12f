// Runs on the page: starts, pauses, stops and resumes training runs in the training worker.
import { useCallback, useEffect, useReducer } from 'react';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { SplitOptions } from '../../core/dataset/splits';
import { withConfigDefaults, type TrainConfig } from '../../core/training/train-config';
import type { RunSummary } from '../../storage/run-record';
import type { BackendPreference } from '../../workers/backend-choice';
import { trainClient } from '../../workers/train-client';
import { newRunId } from '../../workers/worker-bridge';
import { effectiveSplit, trainDataSource } from './build-train-dataset';
import { coalesceBatchEvents } from './coalesce-batch-events';
import { initialTrainingRunState, reduceTrainingRun } from './training-run-state';

/** How often the Train screen redraws for batch events. */
const BATCH_REDRAW_MS = 500;

export function useTrainingRun() {
  const [state, dispatch] = useReducer(reduceTrainingRun, initialTrainingRunState);

  useEffect(() => {
    // Batch events are drawn a few times a second (see coalesce-batch-events.ts); each keeps its arrival time.
    const events = coalesceBatchEvents<Parameters<typeof dispatch>[0]>((held) => held.forEach(dispatch), BATCH_REDRAW_MS);
    const unsubscribe = trainClient.subscribe((event) => events.push({ ...event, now: performance.now() }));
    return () => {
      unsubscribe();
      events.dispose();
    };
  }, []);

  const start = useCallback(
    (config: TrainConfig, dataset: LoadedDataset, stored: boolean, split: SplitOptions, seedFaithful: boolean, backend: BackendPreference) => {
      const runId = newRunId();
      const used = effectiveSplit(dataset, split);
      const fullConfig: TrainConfig = { ...config, split: used, seedFaithful };
      dispatch({ type: 'begin', runId, config: fullConfig, now: performance.now() });
      trainClient.start(runId, fullConfig, trainDataSource(dataset, used, seedFaithful, fullConfig.voteMode, stored), backend);
    },
    [],
  );

  /** Continues an unfinished run on the data set it was trained on (same fingerprint). */
  const resume = useCallback((run: RunSummary, dataset: LoadedDataset, stored: boolean, backend: BackendPreference) => {
    dispatch({ type: 'begin', runId: run.runId, config: run.config, now: performance.now() });
    trainClient.resumeRun(run.runId, trainDataSource(dataset, run.config.split, run.config.seedFaithful, withConfigDefaults(run.config).voteMode, stored), backend);
  }, []);

  const pause = useCallback(() => state.runId && trainClient.pause(state.runId), [state.runId]);
  const play = useCallback(() => state.runId && trainClient.play(state.runId), [state.runId]);
  const stop = useCallback(() => {
    if (!state.runId) return;
    dispatch({ type: 'request-stop' });
    trainClient.stop(state.runId);
  }, [state.runId]);

  /** Ends a run that stopped responding by ending its worker (see StallNotice); its checkpoint stays. */
  const endWorker = useCallback((message: string) => trainClient.endWorker(message), []);

  return { state, start, resume, pause, play, stop, endWorker };
}

export type TrainingRun = ReturnType<typeof useTrainingRun>;
