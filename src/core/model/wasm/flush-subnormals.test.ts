import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { flushSubnormalVariables } from './flush-subnormals';
import { initCpuAndWasm } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

// 2^-130 and -2^-149 are subnormal float32 values; 2^-126 is the smallest normal one.
const values = [1.5, 2 ** -130, -(2 ** -149), 2 ** -126, -3, 0, 2 ** -127, 7, 1e-30];
const flushed = Array.from(Float32Array.from([1.5, 0, 0, 2 ** -126, -3, 0, 0, 7, 1e-30]));

describe('flushSubnormalVariables', () => {
  it('sets subnormal values of every variable (weights and optimizer state) to zero on WASM, and nothing else', async () => {
    await tf.setBackend('wasm');
    const weights = tf.variable(tf.tensor1d(values));
    const state = tf.variable(tf.tensor2d([values, values]));
    const counts = tf.variable(tf.tensor1d([1, 2, 3], 'int32'));
    flushSubnormalVariables();
    expect(Array.from(weights.dataSync())).toEqual(flushed);
    expect(Array.from(state.dataSync())).toEqual([...flushed, ...flushed]);
    expect(Array.from(counts.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([weights, state, counts]);
  });

  it('leaves other backends alone (GPUs flush subnormals themselves; the CPU backend computes in doubles)', async () => {
    await tf.setBackend('cpu');
    const weights = tf.variable(tf.tensor1d(values));
    flushSubnormalVariables();
    expect(Array.from(weights.dataSync())).toEqual(Array.from(Float32Array.from(values)));
    weights.dispose();
  });
});
