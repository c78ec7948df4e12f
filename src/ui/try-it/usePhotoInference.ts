// Runs on the page: sends photos to the inference worker and keeps their results (see photo-state.ts).
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Box } from '../../core/face-crop/types';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { inferenceClient } from '../../workers/inference-client';
import { newRunId } from '../../workers/worker-bridge';
import { initialPhotoState, photosNeedingSaliency, reducePhotos } from './photo-state';

/** @param tenCrop classify each face as the average of ten crops (corners and centre, each mirrored). */
export function usePhotoInference(bundle: ClassifierRef | null, tenCrop = false) {
  const [state, dispatch] = useReducer(reducePhotos, initialPhotoState);
  const stateRef = useRef(state);
  const urls = useRef(new Map<string, string>()); // entry id -> object URL, revoked on remove and unmount

  useEffect(() => {
    stateRef.current = state;
  });

  useEffect(() => inferenceClient.subscribe(dispatch), []);

  useEffect(() => {
    const owned = urls.current;
    return () => {
      for (const url of owned.values()) URL.revokeObjectURL(url);
      owned.clear();
    };
  }, []);

  // A new model or a new ten-crop choice: load the model, then run every photo again (same regions as before).
  useEffect(() => {
    if (!bundle) return;
    const runId = inferenceClient.useModel(bundle);
    if (runId) dispatch({ type: 'model-start', runId });
    for (const entry of stateRef.current.photos) {
      if (entry.result === null && entry.status !== 'running') continue;
      const rerun = newRunId();
      dispatch({ type: 'rerun', id: entry.id, runId: rerun, regions: entry.regions });
      inferenceClient.analysePhoto(bundle, entry.file, rerun, entry.regions ?? undefined, tenCrop);
    }
  }, [bundle, tenCrop]);

  // Grad-CAM for each photo's selected face, once per selection.
  useEffect(() => {
    if (!bundle) return;
    for (const entry of photosNeedingSaliency(state)) {
      const face = entry.result!.faces[entry.selected];
      if (!face) continue;
      const runId = newRunId();
      dispatch({ type: 'saliency-start', id: entry.id, face: entry.selected, runId });
      inferenceClient.saliency(bundle, face.input, face.top, runId);
    }
  }, [state, bundle]);

  const addFiles = useCallback(
    (files: readonly File[]) => {
      if (!bundle) return;
      for (const file of files) {
        const id = newRunId();
        const runId = newRunId();
        const url = URL.createObjectURL(file);
        urls.current.set(id, url);
        dispatch({ type: 'add', id, file, url, runId });
        inferenceClient.analysePhoto(bundle, file, runId, undefined, tenCrop);
      }
    },
    [bundle, tenCrop],
  );

  /** Classifies given regions of a photo instead of detected faces (centre crop, a box drawn by hand). */
  const classifyRegions = useCallback(
    (id: string, regions: Box[]) => {
      const entry = stateRef.current.photos.find((photo) => photo.id === id);
      if (!bundle || !entry) return;
      const runId = newRunId();
      dispatch({ type: 'rerun', id, runId, regions });
      inferenceClient.analysePhoto(bundle, entry.file, runId, regions, tenCrop);
    },
    [bundle, tenCrop],
  );

  /** Runs the detector again on a photo (after regions were used). */
  const detectAgain = useCallback(
    (id: string) => {
      const entry = stateRef.current.photos.find((photo) => photo.id === id);
      if (!bundle || !entry) return;
      const runId = newRunId();
      dispatch({ type: 'rerun', id, runId, regions: null });
      inferenceClient.analysePhoto(bundle, entry.file, runId, undefined, tenCrop);
    },
    [bundle, tenCrop],
  );

  const remove = useCallback((id: string) => {
    const url = urls.current.get(id);
    if (url) URL.revokeObjectURL(url);
    urls.current.delete(id);
    dispatch({ type: 'remove', id });
  }, []);

  const select = useCallback((id: string, face: number) => dispatch({ type: 'select', id, face }), []);

  return { state, addFiles, classifyRegions, detectAgain, remove, select };
}
