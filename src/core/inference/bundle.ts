// Pure tfjs: packs a layers model and its standardisation into a ClassifierBundle (tests, fixtures, the model store). No DOM.
import type * as tf from '@tensorflow/tfjs';
import type { ClassifierBundle } from '../model-format/classifier-bundle';
import { modelArtifacts } from '../model-format/weights-codec';

export interface BundleInfo {
  id: string;
  name: string;
  /** Per-pixel mean and std, Float32Array(2304) each. */
  mean: Float32Array;
  std: Float32Array;
  /** Class names in output order. */
  labels: readonly string[];
}

export async function classifierBundleOf(model: tf.LayersModel, info: BundleInfo): Promise<ClassifierBundle> {
  return {
    id: info.id,
    name: info.name,
    artifacts: await modelArtifacts(model),
    mean: info.mean,
    std: info.std,
    labels: info.labels,
  };
}
