import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureTrainingSpeed } from './speed-probe';
import { defaultTrainConfig } from './train-config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny conv net: the probe's steps are real training steps, so they should be cheap here. */
function tinyModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 2, kernelSize: 3, strides: 4 }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
  return model;
}

/** A fake clock: each reading is 100 ms after the one before, except the readings listed (then `slowMs`). */
function steppingClock(slowReadings: number[], slowMs: number) {
  let t = 0;
  let readings = 0;
  const clock = () => {
    readings++;
    t += slowReadings.includes(readings) ? slowMs : 100;
    return t;
  };
  return { clock, readings: () => readings };
}

describe('measureTrainingSpeed', () => {
  const config = { ...defaultTrainConfig('compact'), batchSize: 8 };

  it('counts the median step: one slow step (another job on the machine) does not sway it', async () => {
    // Readings: 1 the start, then two per step (before, after). Reading 5 ends step 2: it took 5 s.
    const { clock } = steppingClock([5], 5000);
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const speed = await measureTrainingSpeed(model, config, { minSteps: 3, minMs: 0, warmupMs: 0, now: clock });
    // Steps of 100, 5000 and 100 ms: the median is 100 ms, so 8 faces per 0.1 s (the mean would say 3.8/s).
    expect(speed).toBeCloseTo(80, 6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('times steps until minMs has passed, within maxSteps', async () => {
    const model = tinyModel();
    const timed = steppingClock([], 0);
    await measureTrainingSpeed(model, config, { minSteps: 3, minMs: 1000, maxSteps: 25, warmupMs: 0, now: timed.clock });
    // Readings: the start, two per step (before, after), and from the fourth step on a check before each, plus
    // the last check. Time first reaches 1,000 ms past the start (at 100) after step 4: 1 + 3 * 2 + 3 + 1 = 11.
    const capped = steppingClock([], 0);
    await measureTrainingSpeed(model, config, { minSteps: 3, minMs: 60_000, maxSteps: 5, warmupMs: 0, now: capped.clock });
    // Capped at 5 steps, long before a minute: 1 + 3 * 2 + 2 * 3 = 13 (no check once maxSteps is reached).
    expect([timed.readings(), capped.readings()]).toEqual([11, 13]);
    model.dispose();
  });

  it('leaves the first warmupMs untimed: two slow steps there (a backend still warming up) do not count', async () => {
    const model = tinyModel();
    // Readings 3 and 5 come 900 ms after the one before. Without the warm-up they end steps 1 and 2 (900 ms each,
    // so the median step is 900 ms). With it: reading 1 starts the warm-up, step 1 runs after reading 2, and
    // reading 3 finds 1,000 ms passed; the timed steps then take 100 ms each.
    const cold = await measureTrainingSpeed(model, config, { minSteps: 3, minMs: 0, warmupMs: 0, now: steppingClock([3, 5], 900).clock });
    const warmed = await measureTrainingSpeed(model, config, { minSteps: 3, minMs: 0, warmupMs: 1000, now: steppingClock([3, 5], 900).clock });
    expect([cold, warmed]).toEqual([8000 / 900, 80]);
    model.dispose();
  });
});
