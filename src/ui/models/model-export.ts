// Runs on the page: downloads a saved model as model.json + model.weights.bin (tf.io's downloads:// handler)
// plus metadata.json, or as one .zip of the three.
import * as tf from '@tensorflow/tfjs';
import { METADATA_JSON, modelPackageFiles, packageBaseName, zipPackage } from '../../core/model-format/model-package';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import { getModelArtifacts, getModelMeta, modelUrl } from '../../storage/model-store';
import { saveDownload } from '../common/save-file';

async function read(id: string): Promise<{ meta: ModelMetadata; artifacts: tf.io.ModelArtifacts }> {
  const [meta, artifacts] = await Promise.all([getModelMeta(id), getModelArtifacts(id)]);
  if (!meta || !artifacts) throw new Error(`the model ${modelUrl(id)} is no longer saved`);
  return { meta, artifacts };
}

/**
 * model.json and model.weights.bin through tf.io.browserDownloads ('downloads://model': the standard layers
 * format that tf.loadLayersModel reads), then metadata.json. No tensors are made: the stored artifacts are saved as they are.
 */
export async function downloadModelFiles(id: string): Promise<void> {
  const { meta, artifacts } = await read(id);
  // The handler registered for the downloads:// scheme (tf.io.browserDownloads, not exported in 4.22's types).
  const [handler] = tf.io.getSaveHandlers('downloads://model');
  if (!handler?.save) throw new Error('this browser cannot save downloads (no downloads:// handler)');
  await handler.save(artifacts);
  const metadata = modelPackageFiles(meta, artifacts).find((file) => file.name === METADATA_JSON)!;
  saveDownload(METADATA_JSON, [metadata.bytes as Uint8Array<ArrayBuffer>], 'application/json');
}

/** One .zip named after the model, holding model.json, model.weights.bin and metadata.json. */
export async function downloadModelZip(id: string): Promise<void> {
  const { meta, artifacts } = await read(id);
  saveDownload(`${packageBaseName(meta)}.zip`, [zipPackage(modelPackageFiles(meta, artifacts)) as Uint8Array<ArrayBuffer>], 'application/zip');
}
