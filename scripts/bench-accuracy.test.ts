// Runs `npm run bench:accuracy` as CI does: the 2,000-row FER2013 sample, a 1-minute budget, to show it works
// end to end (the real figures come from long budgets on the full file; README has them).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelPackage } from '../src/core/model-format/model-package';
import { ferDataFile, SAMPLE_CSV } from './fer-data';
import { writeFerPlusFixture } from './ferplus-fixture';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'fer-bench-accuracy-'));
const sample = ferDataFile(SAMPLE_CSV);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!sample)('npm run bench:accuracy', () => {
  it('trains the quick recipe for a 1-minute budget on the sample, selects on PublicTest, reports PrivateTest plain / mirror / ten-crop', async () => {
    const json = join(out, 'result.json');
    const model = join(out, 'model');
    const { stdout } = await run(
      resolve('node_modules/.bin/tsx'),
      ['bench/accuracy.ts', '--recipe', 'quick', '--budget-min', '1', '--csv', sample!, '--out', json, '--save', model],
      { timeout: 240_000 },
    );
    expect(stdout).toMatch(/quick \(vgg-s, sgd-nesterov lr 0\.05.*for 1 min on 1600 Training \/ 200 PublicTest \/ 200 PrivateTest rows/);
    expect(stdout).toMatch(/PrivateTest: [\d.]+ % plain · [\d.]+ % mirror TTA · [\d.]+ % ten-crop TTA/);

    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result).toMatchObject({ recipe: 'quick', budgetMin: 1, finished: true, privateTestRows: 200, architecture: 'vgg-s' });
    for (const key of ['privateTestAcc', 'privateTestAccTta2', 'privateTestAccTta10', 'publicTestAcc', 'privateTestMacroF1']) {
      expect(result[key]).toBeGreaterThanOrEqual(0);
      expect(result[key]).toBeLessThanOrEqual(1);
    }
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.imgPerSec).toBeGreaterThan(0);
    // The budget stopped the run, checked by the loop's stop rule rather than by how fast this machine is: not
    // out of epochs (the recipe's 1000 are an upper bound only); every epoch but the last ended inside the budget,
    // so the next one rightly started; and the recorded training time reached the budget. No upper bound: how far
    // the last batch and validation run past the budget depends on the machine's load.
    expect(result.stopReason).toBe('completed');
    expect(result.epochs).toBeLessThan(result.config.epochs);
    expect(result.curve.slice(0, -1).every((point: { minutes: number; partial: boolean }) => point.minutes < 1 && !point.partial)).toBe(true);
    expect(result.curve.at(-1).minutes).toBeLessThanOrEqual(result.trainingMin);
    expect(result.trainingMin).toBeGreaterThanOrEqual(1);
    // Steps: every batch of the full epochs and at most one epoch's worth in the last.
    const batchesPerEpoch = Math.ceil(1600 / result.config.batchSize);
    expect(result.steps).toBeGreaterThan((result.epochs - 1) * batchesPerEpoch);
    expect(result.steps).toBeLessThanOrEqual(result.epochs * batchesPerEpoch);
    // One curve point per epoch; the kept epoch is the best PublicTest one, never chosen on PrivateTest.
    expect(result.curve).toHaveLength(result.epochs);
    const best = Math.max(...result.curve.map((p: { publicTestAcc: number }) => p.publicTestAcc));
    expect(result.publicTestAcc).toBe(best);
    expect(result.curve[result.bestEpoch - 1].publicTestAcc).toBe(best);
    // The kept model is a folder the Models screen imports.
    const files = ['model.json', 'model.weights.bin', 'metadata.json'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(model, name))) }));
    expect(readModelPackage(files).meta.training?.config.recipe).toBe('quick');
  }, 300_000);
});

describe('npm run bench:accuracy --labels ferplus:MODE', () => {
  it('joins FER+ votes to the CSV, trains on the mode\u2019s targets and reports labels, mode and testAcc on the majority-filtered test set', async () => {
    const fixture = writeFerPlusFixture(out);
    const json = join(out, 'ferplus.json');
    const { stdout } = await run(
      resolve('node_modules/.bin/tsx'),
      ['bench/accuracy.ts', '--labels', 'ferplus:crossentropy', '--ferplus', fixture.ferplus, '--csv', fixture.csv, '--budget-min', '0.1', '--out', json],
      { timeout: 240_000 },
    );
    const [train, validation, test] = fixture.kept.crossentropy;
    expect(stdout).toContain(`bench:accuracy ferplus-quick (vgg-s, sgd-nesterov lr 0.05, wd 0.0005, smoothing 0) for 0.1 min on ${train} Training / ${validation} PublicTest / ${test} PrivateTest rows`);
    expect(stdout).toMatch(/PrivateTest \(majority-filtered\): [\d.]+ % plain/);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result).toMatchObject({
      recipe: 'ferplus-quick',
      mode: 'crossentropy',
      labels: ['Neutral', 'Happiness', 'Surprise', 'Sadness', 'Anger', 'Disgust', 'Fear', 'Contempt'],
      privateTestRows: test,
      finished: true,
      config: { voteMode: 'crossentropy', labelSmoothing: 0 },
    });
    expect(result.testAcc).toBe(result.privateTestAcc);
    for (const key of ['testAcc', 'testAccTta2', 'testAccTta10', 'privateTestValenceAcc']) {
      expect(result[key]).toBeGreaterThanOrEqual(0);
      expect(result[key]).toBeLessThanOrEqual(1);
    }
    expect(result.privateTestConfusion).toHaveLength(8);
  }, 300_000);
});
