import { expect, test } from './fixtures';
import { recordWorkerMessages } from './worker-messages';

/** The page's timer turns (performance.now() of each), counted during training. */
interface TimerTurns {
  times: number[];
  stopped: boolean;
}

// In-tab training is slow on a 2-core machine without a GPU: the tiny demo set (280 training faces) and
// the compact net on the WASM backend keep each run to about half a minute per epoch.

test('trains compact on demo data: live charts, moving metrics, a saved model, and a page that answers clicks', async ({ datasetPanel, trainingPanel, page }) => {
  await recordWorkerMessages(page, ['batch']);
  await datasetPanel.open();
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  await trainingPanel.configure({ architecture: 'Compact', epochs: 2 });
  await trainingPanel.start();
  await expect(page.getByTestId('backend-panel')).toContainText('Backend: WASM', { timeout: 60_000 });

  // Batches train in the worker, not on the page: while they do, the page's own timers keep firing, many times
  // per batch (a batch on the page would let one or two through, at the loop's yield between steps), so a click
  // waits for no batch. Counted per step, not timed: a loaded machine slows both sides alike.
  await expect(page.getByTestId('training-speed')).toContainText('faces/s', { timeout: 60_000 });
  await page.evaluate(() => {
    const timer: TimerTurns = { times: [], stopped: false };
    (window as { __timerTurns?: TimerTurns }).__timerTurns = timer;
    const turn = () => {
      timer.times.push(performance.now());
      if (!timer.stopped) setTimeout(turn, 0);
    };
    setTimeout(turn, 0);
  });
  await page.getByTestId('chart-batch-loss').locator('canvas, svg').first().waitFor();
  // Another screen until the run ends: the hidden charts skip their draws, and catch up when shown again.
  await page.getByRole('tab', { name: /Data/ }).click();
  await expect(page.getByTestId('dataset-summary')).toBeVisible();
  await expect(trainingPanel.result()).toContainText('Training finished all epochs', { timeout: 180_000 });
  const { turnsPerStep, steps } = await page.evaluate(() => {
    const timer = (window as { __timerTurns?: TimerTurns }).__timerTurns!;
    timer.stopped = true;
    const turns = timer.times;
    const batches = window.__workerMessages!.filter((message) => message.timeMs > turns[0]);
    const step = ({ metrics }: (typeof batches)[number]) => (metrics!.epoch - 1) * metrics!.batchesPerEpoch + metrics!.batch;
    const [first, last] = [batches[0], batches[batches.length - 1]];
    const between = turns.filter((time) => time > first.timeMs && time <= last.timeMs).length;
    return { turnsPerStep: between / (step(last) - step(first)), steps: step(last) - step(first) };
  });
  console.log(`page timer turns per training step: ${turnsPerStep.toFixed(1)} over ${steps} steps`);
  expect(steps).toBeGreaterThanOrEqual(3);
  expect(turnsPerStep).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('chart-epoch-loss')).not.toHaveAttribute('data-points', '4');
  await page.getByRole('tab', { name: /Train/ }).click();
  await page.getByText('Debug').click();
  await expect(page.getByTestId('chart-batch-loss')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await expect(page.getByTestId('training-best')).toContainText('epoch');
  await expect(trainingPanel.result()).toContainText('is now the active model');
  await expect(page.getByTestId('chart-epoch-loss')).toHaveAttribute('data-points', '4'); // train + validation, 2 epochs
  // The tensor count in the worker is the same after each epoch: no leak.
  const counts = (await page.getByTestId('tensor-counts').textContent())!.match(/: ([\d, ]+) \(/)![1].split(', ');
  expect(counts).toHaveLength(2);
  expect(counts[0]).toBe(counts[1]);

  // The model is in IndexedDB with its metadata.
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = <T,>(store: string) =>
      new Promise<T[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
      });
    const meta = await read<{ architecture: string; training: { epochsRun: number }; standardization: { mean: number[] } }>('model-meta');
    const weights = await read<{ weightData: ArrayBuffer }>('model-weights');
    return { meta, bytes: weights.map((w) => w.weightData.byteLength) };
  });
  expect(stored.meta).toHaveLength(1);
  expect(stored.meta[0]).toMatchObject({ architecture: 'compact', training: { epochsRun: 2 } });
  expect(stored.meta[0].standardization.mean).toHaveLength(2304);
  expect(stored.bytes[0]).toBeGreaterThan(1_000_000);
  await page.screenshot({ path: test.info().outputPath('trained.png'), fullPage: true });

  // Try it gets the new model: the inference worker reads it from storage by its id.
  await page.getByRole('tab', { name: /Try it/ }).click();
  await expect(page.getByTestId('try-it-model')).toContainText(/Model: .*compact.* · loaded in/i, { timeout: 60_000 });
});

test('a reload mid-run offers to resume from the last checkpoint, and the resumed run completes with the same curves', async ({ datasetPanel, trainingPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  await trainingPanel.configure({ architecture: 'Compact', epochs: 3 });
  await trainingPanel.start();
  await trainingPanel.waitForEpochs(1);
  // Charts redraw at most every 2 s: wait for the draw of epoch 1 (train + validation points).
  await expect(page.getByTestId('chart-epoch-loss')).toHaveAttribute('data-points', '2');

  await page.reload();
  // The data set comes back from IndexedDB, then the unfinished run is offered.
  await expect(page.getByTestId('dataset-summary')).toContainText('280 Training', { timeout: 30_000 });
  await trainingPanel.open();
  const banner = page.getByTestId('resume-banner');
  await expect(banner).toContainText(/Resume run compact on Synthetic demo faces .* from epoch [23] \(of 3 epochs\)/);
  await banner.getByRole('button', { name: /Resume from epoch/ }).click();
  // The curves start where they were: the stored epochs are drawn again before new ones arrive.
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-epochs', /^[12]$/, { timeout: 60_000 });
  await expect(trainingPanel.result()).toContainText('Training finished all epochs', { timeout: 240_000 });
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-epochs', '3');
  await expect(page.getByTestId('resume-banner')).toHaveCount(0);
});

test('stop ends the run after the current batch and keeps the best epoch so far', async ({ datasetPanel, trainingPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  await trainingPanel.configure({ architecture: 'Compact', epochs: 5 });
  await trainingPanel.start();
  await trainingPanel.waitForEpochs(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(trainingPanel.result()).toContainText('Training was stopped', { timeout: 120_000 });
  // It stops after the batch in flight: the epoch under way is abandoned unless that was its last batch.
  const epochsDone = Number(await page.getByTestId('training-panel').getAttribute('data-epochs'));
  expect(epochsDone).toBeGreaterThanOrEqual(1);
  expect(epochsDone).toBeLessThan(5);
  const best = Number((await trainingPanel.result().textContent())!.match(/The best epoch \((\d+)/)![1]);
  expect(best).toBeGreaterThanOrEqual(1);
  expect(best).toBeLessThanOrEqual(epochsDone);
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
});

test('a training thread that stops responding: the screen says so, ends the worker on request, and the run resumes from its checkpoint', async ({ datasetPanel, trainingPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  await trainingPanel.configure({ architecture: 'Compact', epochs: 3 });
  await trainingPanel.start();
  await trainingPanel.waitForEpochs(1);
  // The e2e build's seam (src/workers/train-test-seam.ts): the worker's thread blocks for good at its next batch,
  // and the screen calls a run stuck after 3 s of silence instead of 3 minutes.
  await page.evaluate(() => window.dispatchEvent(new CustomEvent('fer:test-stall', { detail: { noticeMs: 3000 } })));
  const notice = page.getByTestId('stall-notice');
  await expect(notice).toContainText(/No training batch has finished for \d+\.\d s\./, { timeout: 60_000 });
  await expect(notice).toContainText("Ending the worker keeps the run's checkpoint of epoch 1");
  await notice.screenshot({ path: test.info().outputPath('stall-notice.png') });
  // Stop would wait for the batch in flight, which never ends.
  await page.getByRole('button', { name: 'End the worker now' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Training stopped:' })).toContainText('its worker was ended after');
  await expect(page.getByRole('alert').filter({ hasText: 'Training stopped:' })).toContainText('The checkpoint of epoch 1 is kept; you can resume it.');
  const banner = page.getByTestId('resume-banner');
  await expect(banner).toContainText(/Resume run compact on Synthetic demo faces .* from epoch 2 \(of 3 epochs\)/, { timeout: 30_000 });
  await banner.getByRole('button', { name: 'Resume from epoch 2' }).click();
  await expect(trainingPanel.result()).toContainText('Training finished all epochs', { timeout: 240_000 });
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-epochs', '3');
});

test('two tabs: the run one tab trains is shown as busy in the other, which offers nothing until it ends', async ({ datasetPanel, trainingPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  // 40 epochs: still running when Stop is pressed, however long the other tab takes to look (its lock probe waits up to 5 s).
  await trainingPanel.configure({ architecture: 'Compact', epochs: 40 });
  await trainingPanel.start();
  await trainingPanel.waitForEpochs(1);

  // A second tab of the app on the same profile: the data set comes back from storage, the run is not offered.
  const other = await page.context().newPage();
  await other.goto('/');
  await expect(other.getByTestId('dataset-summary')).toContainText('280 Training', { timeout: 30_000 });
  await other.getByRole('tab', { name: /Train/ }).click();
  const banner = other.getByTestId('resume-banner');
  await expect(banner).toContainText('is being trained in another tab of this app');
  await expect(banner.getByRole('button')).toHaveCount(0);

  // When the first tab stops, its run is saved as a model and is no longer offered anywhere.
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(trainingPanel.result()).toContainText('Training was stopped', { timeout: 120_000 });
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await other.close();
});

test('trains for a time budget: an on-device estimate first, then one-cycle training that ends when the budget is spent', async ({ datasetPanel, trainingPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  await trainingPanel.open();
  // The Quick preset is the default plan; a 15-second budget keeps the test short.
  await expect(page.getByRole('radio', { name: /Quick/ })).toBeChecked();
  await page.getByLabel('Budget (minutes)').fill('0.25');
  await page.getByRole('button', { name: 'Estimate on this device' }).click();
  await expect(page.getByTestId('plan-estimate')).toContainText(/\d+ faces\/s on WASM: about [\d.]+ epochs in 0\.25 min/, { timeout: 120_000 });
  await expect(page.getByTestId('plan-estimate')).toContainText('known for FER2013 only');
  await trainingPanel.start();
  await expect(page.getByTestId('training-epoch')).toContainText('budget', { timeout: 60_000 });
  await expect(trainingPanel.result()).toContainText('Training used its whole time budget', { timeout: 180_000 });
  // The charts default to minutes of training for a budgeted run and draw lines.
  await expect(page.getByRole('radio', { name: 'minutes of training' })).toBeChecked();
  await expect(page.getByTestId('chart-epoch-accuracy').locator('svg polyline[data-series="validation"]')).toHaveCount(1);
  await expect(page.getByTestId('chart-epoch-accuracy').locator('svg')).toContainText('minutes');
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return new Promise<{ training: { config: { recipe: string; budgetMinutes: number }; trainingMs: number; history: { trainingMs: number }[] } }[]>((resolve) => {
      const request = db.transaction('model-meta').objectStore('model-meta').getAll();
      request.onsuccess = () => resolve(request.result);
    });
  });
  expect(stored[0].training.config).toMatchObject({ recipe: 'quick', budgetMinutes: 0.25 });
  // The run's training time reached the budget. Its last epoch may have ended just short of it when the
  // budget ran out during that epoch's validation or checkpoint (then no further epoch starts).
  expect(stored[0].training.trainingMs).toBeGreaterThanOrEqual(15_000);
  expect(stored[0].training.history.at(-1)!.trainingMs).toBeLessThanOrEqual(stored[0].training.trainingMs);
  await page.screenshot({ path: test.info().outputPath('budget.png'), fullPage: true });
});
