// Test helpers (Node): a tiny 48x48 classifier, its artifacts and matching metadata. Never real data.
import * as tf from '@tensorflow/tfjs';
import { PIXELS } from '../dataset/face-format';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMetadata } from '../model-format/model-metadata';
import { modelArtifacts } from '../model-format/weights-codec';

/** Conv 4x4/4 -> BatchNorm -> ReLU -> global average -> Dense `classes` softmax (7: 151 parameters), any seed. */
export function tinyClassifier(seed = 1, classes = 7): tf.LayersModel {
  const model = tf.sequential({ name: 'tiny' });
  model.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 4, kernelSize: 4, strides: 4, kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

/**
 * Conv 4x4/4 (6) -> BatchNorm -> ReLU -> Conv 3x3/2 (8) -> ReLU -> global average -> Dense `classes` softmax: a tiny
 * net without dropout, so two runs from the same checkpoint compute the same numbers (training-loop tests).
 */
export function tinyTrainingNet(classes = 7): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 6, kernelSize: 4, strides: 4 }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2 }));
  model.add(tf.layers.reLU());
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}

/** Topology + weights in memory, as model.save gives them. */
export const artifactsOf = modelArtifacts;

/** Valid metadata for a model with `params` parameters; mean 100 and std 50 for every pixel unless given. */
export function testMetadata(id: string, params: number, overrides: Partial<ModelMetadata> = {}): ModelMetadata {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    id,
    name: `model ${id}`,
    createdAt: '2026-01-02T03:04:05.000Z',
    architecture: 'compact',
    params,
    flopsPerImage: 1000,
    labels: [...FER2013_EMOTIONS],
    inputShape: [48, 48, 1],
    standardization: { mean: new Array(PIXELS).fill(100), std: new Array(PIXELS).fill(50), rows: 10, scope: 'training' },
    dataset: { name: 'generated', fingerprint: '0123456789abcdef', rows: 20, synthetic: true, split: { strategy: 'usage', seed: 42 } },
    training: null,
    weightBytes: params * 4,
    ...overrides,
  };
}
