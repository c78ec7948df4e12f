// Pure statement of the model's contract, in one place: what every model this app trains, imports, evaluates
// or runs takes and gives. Metadata validation, the package reader, the evaluation worker and Try it's
// classifier all check through here. No DOM; no tfjs import (a model is seen through its shapes).
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';

/** Input per face: 48x48 standardised gray levels, one channel; a batch is [batch, ...INPUT_SHAPE]. */
export const INPUT_SHAPE = [IMAGE_SIZE, IMAGE_SIZE, 1] as const;

/** Values in each standardisation statistic (mean, std): one per pixel. */
export const STANDARDIZATION_LENGTH = PIXELS;

/** A shape as people read it: `[batch, 48, 48, 1]` (null, the batch dimension, is "batch"). */
export function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;
}

/** True when `shape` (without the batch dimension, e.g. metadata's inputShape) is INPUT_SHAPE. */
export function isInputShape(shape: unknown): boolean {
  return Array.isArray(shape) && shape.length === INPUT_SHAPE.length && INPUT_SHAPE.every((d, i) => shape[i] === d);
}

/** What a loaded layers model shows of itself: its input and output shapes (tf.LayersModel fits). */
export interface ModelShapes {
  inputs: readonly { shape: readonly (number | null)[] }[];
  outputs: readonly { shape: readonly (number | null)[] }[];
}

/**
 * Why a loaded model does not fit the contract, or null when it does: one input [batch, 48, 48, 1], one output
 * [batch, labels]. The text follows the model's name: `takes input [batch, 64, 64, 3]; faces here are …`.
 */
export function modelShapeProblem(model: ModelShapes, labels: number): string | null {
  const input = model.inputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || input.length !== INPUT_SHAPE.length + 1 || !isInputShape(input.slice(1))) {
    return `takes input ${shapeText(input)}; faces here are ${shapeText([null, ...INPUT_SHAPE])} gray`;
  }
  const output = model.outputs[0]?.shape ?? [];
  if (!outputsMatchLabels(model.outputs.length === 1 && output.length === 2 ? output[1] : null, labels)) {
    return `gives output ${shapeText(output)} but has ${labels} labels`;
  }
  return null;
}

/** Labels <-> outputs: a model gives one score per label, in label order. */
export function outputsMatchLabels(outputs: number | null | undefined, labels: number): boolean {
  return outputs === labels;
}

/** Why standardisation statistics do not fit (one value per pixel), or null. */
export function standardizationProblem(mean: ArrayLike<number>, std: ArrayLike<number>): string | null {
  return mean.length === STANDARDIZATION_LENGTH && std.length === STANDARDIZATION_LENGTH
    ? null
    : `has standardisation statistics of ${mean.length}/${std.length} values, not ${STANDARDIZATION_LENGTH}`;
}
