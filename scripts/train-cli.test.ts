// Runs `npm run train` (the Node CLI) on generated demo faces and on a folder of real faces, and checks the
// model folder it writes.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelPackage } from '../src/core/model-format/model-package';
import { ferDataFile, SAMPLE_IMAGES_ZIP } from './fer-data';
import { writeFerPlusFixture } from './ferplus-fixture';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'fer-cli-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run train', () => {
  it('trains on WASM in Node, prints progress, and writes a standard tfjs model folder with metadata', async () => {
    const tsx = resolve('node_modules/.bin/tsx');
    const { stdout } = await run(tsx, ['scripts/train-cli.ts', '--demo', 'tiny', '--arch', 'mini-xception', '--epochs', '1', '--backend', 'wasm', '--out', out], {
      timeout: 240_000,
    });
    expect(stdout).toMatch(/training mini-xception on demo-tiny: 280 train \/ 70 validation \/ 70 test rows/);
    expect(stdout).toMatch(/epoch 1\/1: loss [\d.]+ acc [\d.]+% · val loss/);
    expect(stdout).toMatch(/test accuracy [\d.]+% on 70 rows/);

    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'fer-trainer-model', architecture: 'mini-xception', inputShape: [48, 48, 1], training: { epochsRun: 1 } });
    expect(meta.standardization.mean).toHaveLength(2304);

    // The app's import accepts the folder as it is (the same checks the Models screen runs).
    const files = ['model.json', 'model.weights.bin', 'metadata.json'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(out, name))) }));
    expect(readModelPackage(files).meta.id).toBe(meta.id);

    // The folder is the standard TensorFlow.js layers format: plain tf.loadLayersModel over HTTP reads it.
    const server = createServer((req, res) => res.end(readFileSync(join(out, req.url!.slice(1)))));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as { port: number };
    try {
      await tf.setBackend('cpu');
      const model = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      const probs = model.predict(tf.zeros([1, 48, 48, 1])) as tf.Tensor;
      expect(probs.shape).toEqual([1, 7]);
      expect(probs.sum().dataSync()[0]).toBeCloseTo(1, 4);
      probs.dispose();
      model.dispose();
    } finally {
      server.close();
    }
  }, 300_000);

  it('trains a time-budget recipe: its net and one-cycle schedule, stopping when the budget is spent', async () => {
    const folder = join(out, 'recipe');
    const { stdout } = await run(resolve('node_modules/.bin/tsx'), ['scripts/train-cli.ts', '--demo', 'tiny', '--recipe', 'quick', '--budget-min', '0.1', '--out', folder], {
      timeout: 240_000,
    });
    expect(stdout).toMatch(/training vgg-s on demo-tiny: .* a 0\.1 min budget \(recipe quick\), batch 64/);
    const meta = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ architecture: 'vgg-s', training: { stopReason: 'completed', config: { recipe: 'quick', schedule: 'one-cycle', optimizer: 'sgd-nesterov', budgetMinutes: 0.1 } } });
    // Stopped by the 6 s budget, checked by the loop's stop rule rather than by this machine's speed: a budgeted
    // run ends 'completed' either out of epochs (1000 here, an upper bound only) or because the budget was spent;
    // every epoch but the last ended inside the budget, so the next one rightly started; times only grow.
    const history: { trainingMs: number; partial?: boolean }[] = meta.training.history;
    expect(meta.training.epochsRun).toBe(history.length);
    expect(meta.training.epochsRun).toBeLessThan(meta.training.config.epochs);
    expect(history.slice(0, -1).every((m) => m.trainingMs < 6000 && m.partial === undefined)).toBe(true);
    expect(history.map((m) => m.trainingMs)).toEqual(history.map((m) => m.trainingMs).sort((a, b) => a - b));
  }, 300_000);

  it('trains on a folder of images in class folders (--data), with FER2013\u2019s split from Kaggle\u2019s file names', async (context) => {
    const zip = ferDataFile(SAMPLE_IMAGES_ZIP);
    if (zip === null) return context.skip();
    // Every 10th face of the sample's JPEGs, unpacked as a user's folder would be.
    const files = Object.entries(unzipSync(readFileSync(zip))).filter(([name], i) => name.endsWith('.jpg') && i % 10 === 0);
    const root = join(out, 'my-faces');
    for (const [name, bytes] of files) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), bytes);
    }
    const count = (prefix: string) => files.filter(([name]) => name.includes(`/${prefix}_`)).length;
    const { stdout } = await run(resolve('node_modules/.bin/tsx'), ['scripts/train-cli.ts', '--data', root, '--arch', 'compact', '--epochs', '1', '--out', join(out, 'from-images')], {
      timeout: 240_000,
    });
    expect(stdout).toContain(`image folders: ${files.length} files, 0 resized; splits: FER2013\u2019s own split`);
    expect(stdout).toContain(`training compact on my-faces: ${count('Training')} train / ${count('PublicTest')} validation / ${count('PrivateTest')} test rows`);
    expect(JSON.parse(readFileSync(join(out, 'from-images', 'metadata.json'), 'utf8')).training.epochsRun).toBe(1);
  }, 300_000);

  it('trains on FER+ votes joined to a FER2013 CSV (--labels ferplus:MODE --ferplus PATH): eight classes, majority-filtered validation and test', async () => {
    const dir = join(out, 'ferplus-data');
    mkdirSync(dir, { recursive: true });
    const fixture = writeFerPlusFixture(dir);
    const folder = join(out, 'ferplus-model');
    const { stdout } = await run(
      resolve('node_modules/.bin/tsx'),
      ['scripts/train-cli.ts', '--data', fixture.csv, '--labels', 'ferplus:crossentropy', '--ferplus', fixture.ferplus, '--arch', 'compact', '--epochs', '1', '--out', folder],
      { timeout: 240_000 },
    );
    const [train, validation, test] = fixture.kept.crossentropy;
    expect(stdout).toContain('classes: Neutral, Happiness, Surprise, Sadness, Anger, Disgust, Fear, Contempt · crowd votes, crossentropy targets');
    expect(stdout).toContain(`training compact on fer2013.csv: ${train} train / ${validation} validation / ${test} test rows`);
    expect(stdout).toMatch(new RegExp(`test accuracy [\\d.]+% on ${test} rows`));
    const meta = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
    expect(meta.labels).toEqual(['Neutral', 'Happiness', 'Surprise', 'Sadness', 'Anger', 'Disgust', 'Fear', 'Contempt']);
    expect(meta.training.config.voteMode).toBe('crossentropy');

    // A vote file whose rows are not the CSV's (one Usage changed) is refused, naming the row.
    const shuffled = join(dir, 'shuffled.csv');
    writeFileSync(shuffled, readFileSync(fixture.ferplus, 'utf8').replace('\r\nTraining,', '\r\nPublicTest,'));
    const refused = await run(resolve('node_modules/.bin/tsx'), ['scripts/train-cli.ts', '--data', fixture.csv, '--labels', 'ferplus:majority', '--ferplus', shuffled, '--epochs', '1'], {
      timeout: 240_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/shuffled\.csv row 2: Usage is PublicTest, but row 2 of fer2013\.csv is Training/);
  }, 300_000);

  it('merges the classes at load (--merge valence): a 3-class model named negative / neutral / positive', async () => {
    const folder = join(out, 'valence');
    const { stdout } = await run(resolve('node_modules/.bin/tsx'), ['scripts/train-cli.ts', '--demo', 'tiny', '--merge', 'valence', '--arch', 'compact', '--epochs', '1', '--out', folder], {
      timeout: 240_000,
    });
    expect(stdout).toContain('classes: Negative, Neutral, Positive · valence: negative, neutral, positive');
    expect(stdout).toMatch(/training compact on demo-tiny: 280 train \/ 70 validation \/ 70 test rows/);
    const meta = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'));
    expect(meta.labels).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(meta.labelMapping).toMatchObject({ from: ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'], to: [0, 0, 0, 2, 0, 2, 1] });
  }, 300_000);
});
