// Runs on the page: imports exported model files through the evaluation worker (checked and saved there).
import { useCallback, useEffect, useState } from 'react';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import { evaluationClient } from '../../workers/evaluation-client';
import { newRunId } from '../../workers/worker-bridge';

export type ImportStatus = 'idle' | 'running' | 'done' | 'error';

export interface ImportState {
  status: ImportStatus;
  runId: string | null;
  fileNames: string[];
  meta: ModelMetadata | null;
  error: string | null;
}

const idle: ImportState = { status: 'idle', runId: null, fileNames: [], meta: null, error: null };

export function useModelImport() {
  const [state, setState] = useState<ImportState>(idle);

  useEffect(
    () =>
      evaluationClient.subscribe((event) => {
        if (event.type !== 'imported' && event.type !== 'error') return;
        setState((s) => {
          if (s.status !== 'running' || event.runId !== s.runId) return s;
          return event.type === 'imported' ? { ...s, status: 'done', meta: event.meta } : { ...s, status: 'error', error: event.message };
        });
      }),
    [],
  );

  const importFiles = useCallback((files: File[]) => {
    if (files.length === 0) return;
    const runId = newRunId();
    setState({ ...idle, status: 'running', runId, fileNames: files.map((f) => f.name) });
    evaluationClient.importFiles(runId, files);
  }, []);

  const dismiss = useCallback(() => setState(idle), []);

  return { state, importFiles, dismiss };
}
