// Runs on the page: the inference worker's client, created lazily outside React (one worker for the app).
import type { Box } from '../core/face-crop/types';
import type { ClassifierBundle, ClassifierRef } from '../core/model-format/classifier-bundle';
import { isFinalInferenceEvent, type InferenceEvent, type InferenceRequest } from './inference-protocol';
import { newRunId, WorkerBridge } from './worker-bridge';

class InferenceClient {
  /** Id of the model the current worker holds; reset whenever a new worker is created (e.g. after a crash). */
  private loadedModelId: string | null = null;
  private readonly bridge = new WorkerBridge<InferenceRequest, InferenceEvent>(() => {
    this.loadedModelId = null;
    return new Worker(new URL('./inference.worker.ts', import.meta.url), {
      type: 'module',
      name: 'inference',
    });
    // No idle shutdown: the worker holds the model and the face detector, which take seconds to load again.
  }, { what: 'photo and webcam', isFinal: isFinalInferenceEvent });

  subscribe(listener: (event: InferenceEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /**
   * Sends the model unless the worker already has it (a worker recreated after a crash gets it again).
   * Requests sent after it queue behind it in the worker.
   * @returns the run id of the load, or null when nothing was sent.
   */
  useModel(classifier: ClassifierRef, runId = newRunId()): string | null {
    this.bridge.warmUp(); // creates the worker (and resets loadedModelId) if there is none
    if (this.loadedModelId === classifier.id) return null;
    this.loadedModelId = classifier.id;
    // The worker reads a saved model from storage by its id; only the e2e test seam hands over a whole bundle.
    const bundle = 'artifacts' in classifier ? (classifier as ClassifierBundle) : undefined;
    this.bridge.send({ type: 'model', runId, modelId: classifier.id, bundle, backend: this.backend });
    return runId;
  }

  /** Aborting `signal` abandons the photo: the worker finishes it, and nobody waits for the answer. */
  analysePhoto(bundle: ClassifierRef, file: File, runId = newRunId(), regions?: Box[], tenCrop = false, signal?: AbortSignal): void {
    this.useModel(bundle);
    this.bridge.send({ type: 'photo', runId, modelId: bundle.id, file, name: file.name, regions, tenCrop }, { signal, onAbort: () => this.bridge.abandon(runId) });
  }

  /**
   * Sends one webcam or video frame; it is transferred (unusable here afterwards). `tracked`: boxes to classify
   * instead of running the detector.
   */
  sendFrame(bundle: ClassifierRef, frame: VideoFrame | ImageBitmap, runId = newRunId(), tracked?: Box[], signal?: AbortSignal): void {
    this.useModel(bundle);
    this.bridge.send({ type: 'frame', runId, modelId: bundle.id, frame, tracked }, { transfer: [frame], signal, onAbort: () => this.bridge.abandon(runId) });
  }

  saliency(
    bundle: ClassifierRef,
    input: Float32Array,
    classIndex: number,
    runId = newRunId(),
  ): void {
    this.useModel(bundle);
    // A copy, so the face's own input stays usable on the page.
    this.bridge.send({ type: 'saliency', runId, modelId: bundle.id, input: input.slice(), classIndex });
  }

  /** tfjs backend the worker tries first: the page's ?backend= parameter (for measurements), else its default. */
  private get backend(): string | undefined {
    return new URLSearchParams(location.search).get('backend') ?? undefined;
  }
}

export const inferenceClient = new InferenceClient();
