// Pure tfjs: packs a layers model and its standardisation into a ClassifierBundle (tests, fixtures, the model store). No DOM.
import * as tf from '@tensorflow/tfjs';
import { EMOTIONS } from '../emotions';
import type { ClassifierBundle } from '../model/classifier-bundle';

export interface BundleInfo {
  id: string;
  name: string;
  /** Per-pixel mean and std, Float32Array(2304) each. */
  mean: Float32Array;
  std: Float32Array;
  labels?: readonly string[];
}

/** Serialises the model's topology and weights in memory (model.save with a capturing handler). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('model.save produced no artifacts');
  return captured;
}

export async function classifierBundleOf(model: tf.LayersModel, info: BundleInfo): Promise<ClassifierBundle> {
  return {
    id: info.id,
    name: info.name,
    artifacts: await modelArtifacts(model),
    mean: info.mean,
    std: info.std,
    labels: info.labels ?? EMOTIONS,
  };
}
