// Pure conversion of model and optimizer weights to bytes and back (checkpoints, saved models). No DOM.
import * as tf from '@tensorflow/tfjs';

/**
 * A model's topology and weights in memory, as model.save gives them (tf.io.fromMemory loads them back).
 * The one place that captures artifacts: saving, exporting, bundling and tests all use it.
 */
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

/** Weights as stored: tfjs weight specs plus one ArrayBuffer holding all values. */
export interface EncodedWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

/** All of a model's weights (trainable and BatchNorm moving statistics), in model.weights order. */
export async function encodeModelWeights(model: tf.LayersModel): Promise<EncodedWeights> {
  const named = model.weights.map((weight, i) => ({ name: `${i}:${weight.originalName}`, tensor: weight.read() }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return { data, specs };
}

/** Sets a model's weights from encodeModelWeights output of the same architecture (matched by order). */
export function decodeModelWeights(model: tf.LayersModel, encoded: EncodedWeights): void {
  const decoded = tf.io.decodeWeights(encoded.data, encoded.specs);
  const tensors = encoded.specs.map((spec) => decoded[spec.name]);
  if (tensors.length !== model.weights.length) {
    tf.dispose(tensors);
    throw new Error(`the saved weights hold ${tensors.length} tensors but this architecture has ${model.weights.length}`);
  }
  model.weights.forEach((weight, i) => {
    if (!tf.util.arraysEqual(weight.shape as number[], tensors[i].shape)) {
      tf.dispose(tensors);
      throw new Error(`saved weight ${i} has shape [${tensors[i].shape}] but the model expects [${weight.shape}]`);
    }
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** The optimizer's state (Adam: iteration count, first and second moments), position-ordered. */
export async function encodeOptimizerState(optimizer: tf.Optimizer): Promise<EncodedWeights> {
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  // getWeights makes a fresh tensor for the iteration count (the moments are the live variables): free it.
  tf.dispose(named.filter((entry) => !(entry.tensor instanceof tf.Variable)).map((entry) => entry.tensor));
  return { data, specs };
}

/** Restores encodeOptimizerState output into a fresh optimizer of the same kind. */
export async function decodeOptimizerState(optimizer: tf.Optimizer, encoded: EncodedWeights): Promise<void> {
  const decoded = tf.io.decodeWeights(encoded.data, encoded.specs);
  const named = encoded.specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] }));
  await optimizer.setWeights(named);
  // setWeights keeps its own copies (as variables); release the decoded tensors.
  tf.dispose(named.map((entry) => entry.tensor));
}
