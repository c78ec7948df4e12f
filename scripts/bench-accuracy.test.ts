// Runs `npm run bench:accuracy` as CI does: the 2,000-row FER2013 sample, a 1-minute budget, to show it works
// end to end (the real figures come from long budgets on the full file; README has them).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelPackage } from '../src/core/model/model-package';
import { ferDataFile, SAMPLE_CSV } from './fer-data';

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
    // The budget is honoured (training time at least the budget, and not much more than one epoch over it).
    expect(result.trainingMin).toBeGreaterThanOrEqual(1);
    expect(result.trainingMin).toBeLessThan(1.5);
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
