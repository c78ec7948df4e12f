import { describe, expect, it } from 'vitest';
import type { FaceResult, PhotoResult } from '../../workers/inference-protocol';
import { FrameRateMeter } from './frame-rate';
import { initialPhotoState, photosNeedingSaliency, reducePhotos, type PhotoState } from './photo-state';
import { cameraErrorMessage, NO_CAMERA_API_MESSAGE } from './webcam-errors';

const face = (top: number): FaceResult => ({
  box: { x: 0, y: 0, width: 10, height: 10 },
  region: { x: 0, y: 0, width: 10, height: 10 },
  score: 0.9,
  gray: new Float32Array(2304),
  input: new Float32Array(2304),
  probs: new Float32Array(7),
  top,
});

const result = (faces: FaceResult[]): PhotoResult => ({
  name: 'a.jpg',
  format: 'JPEG',
  width: 100,
  height: 80,
  source: 'detector',
  detector: 'd',
  modelId: 'm',
  decodeMs: 1,
  detectMs: 2,
  classifyMs: 3,
  tenCrop: false,
  faces,
});

function added(): PhotoState {
  return reducePhotos(initialPhotoState, {
    type: 'add',
    id: 'e1',
    file: new File([], 'a.jpg'),
    url: 'blob:a',
    runId: 'r1',
  });
}

describe('photo state', () => {
  it('adds a photo as running and takes its result; results of older runs are dropped', () => {
    let state = added();
    expect(state.photos[0]).toMatchObject({ id: 'e1', name: 'a.jpg', status: 'running' });
    state = reducePhotos(state, {
      type: 'rerun',
      id: 'e1',
      runId: 'r2',
      regions: [{ x: 1, y: 2, width: 3, height: 3 }],
    });
    expect(reducePhotos(state, { type: 'photo', runId: 'r1', result: result([face(1)]) })).toBe(state);
    state = reducePhotos(state, { type: 'photo', runId: 'r2', result: result([face(1), face(2)]) });
    expect(state.photos[0]).toMatchObject({
      status: 'done',
      selected: 0,
      regions: [{ x: 1, y: 2, width: 3, height: 3 }],
    });
    expect(state.photos[0].result?.faces).toHaveLength(2);
  });

  it('shows an error in the photo that caused it, and a model load error apart', () => {
    let state = reducePhotos(added(), { type: 'model-start', runId: 'load' });
    state = reducePhotos(state, { type: 'error', runId: 'r1', message: 'a.jpg: it is empty (0 bytes)' });
    expect(state.photos[0]).toMatchObject({ status: 'error', error: 'a.jpg: it is empty (0 bytes)' });
    state = reducePhotos(state, {
      type: 'error',
      runId: 'load',
      message: 'model "x" takes input [batch, 64, 64, 3]',
    });
    expect(state.modelError).toMatch(/64, 64, 3/);
  });

  it('asks for saliency once per selected face and stores it by run', () => {
    let state = reducePhotos(added(), { type: 'photo', runId: 'r1', result: result([face(1), face(4)]) });
    expect(photosNeedingSaliency(state).map((p) => p.id)).toEqual(['e1']);
    state = reducePhotos(state, { type: 'saliency-start', id: 'e1', face: 0, runId: 's1' });
    expect(photosNeedingSaliency(state)).toEqual([]);
    const heat = new Float32Array(2304).fill(0.5);
    state = reducePhotos(state, {
      type: 'saliency',
      runId: 's1',
      classIndex: 1,
      saliency: { heat, method: 'grad-cam', layerName: 'l', mapSize: 12 },
    });
    expect(state.photos[0].saliency?.value?.heat).toBe(heat);
    state = reducePhotos(state, { type: 'select', id: 'e1', face: 1 });
    expect(photosNeedingSaliency(state).map((p) => p.id)).toEqual(['e1']);
    state = reducePhotos(state, { type: 'remove', id: 'e1' });
    expect(state.photos).toEqual([]);
  });
});

describe('FrameRateMeter', () => {
  it('counts frames per second over the last two seconds', () => {
    const meter = new FrameRateMeter();
    expect(meter.tick(0)).toBe(0);
    for (let t = 50; t <= 1000; t += 50) meter.tick(t);
    expect(meter.rate()).toBeCloseTo(20, 5);
    // A pause longer than the window leaves only the new frames.
    meter.tick(5000);
    expect(meter.tick(5100)).toBeCloseTo(10, 5);
  });
});

describe('camera errors', () => {
  it('says what to do for denied, missing and busy cameras', () => {
    expect(cameraErrorMessage(new DOMException('denied', 'NotAllowedError'))).toMatch(
      /^Camera permission was denied/,
    );
    expect(cameraErrorMessage(new DOMException('none', 'NotFoundError'))).toMatch(/^No camera was found/);
    expect(cameraErrorMessage(new DOMException('busy', 'NotReadableError'))).toMatch(/another program/);
    expect(cameraErrorMessage(new Error('odd'))).toBe('The camera could not be started: odd');
    expect(NO_CAMERA_API_MESSAGE).toMatch(/https/);
  });
});
