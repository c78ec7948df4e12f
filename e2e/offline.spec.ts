// Offline: after one visit the service worker has precached the whole app (scripts, workers, WASM binaries,
// detector weights); with the network off the page opens, still cross-origin isolated, and everything works.
import { PNG } from 'pngjs';
import { EvaluatePanel } from './evaluation-helpers';
import { expect, test } from './fixtures';

test.use({ serviceWorkers: 'allow' });

/** A plain gray photo with no face in it (the Try it screen then offers to classify its centre). */
function grayPhoto(): Buffer {
  const png = new PNG({ width: 160, height: 120 });
  png.data.fill(128);
  return PNG.sync.write(png);
}

test('after one visit the app opens with the network off: data, training, evaluation and a photo all work', async ({ page, context, datasetPanel, trainingPanel }) => {
  // First visit: the service worker installs (precaching everything) and takes the page.
  await expect(page.getByTestId('offline-ready')).toContainText('works without a network', { timeout: 120_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('tab', { name: /Data/ })).toBeVisible();
  // Served from the cache with its COOP/COEP headers: still isolated, so WASM keeps its threads.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await datasetPanel.loadDemo('tiny');
  await trainingPanel.trainBriefly();

  const evaluate = new EvaluatePanel(page);
  await evaluate.open();
  await evaluate.run();
  expect((await evaluate.matrix()).flat().reduce((a, b) => a + b, 0)).toBe(70);

  await page.getByRole('tab', { name: /Try it/ }).click();
  await expect(page.getByTestId('try-it-model')).toContainText('loaded in', { timeout: 60_000 });
  await page.getByTestId('photo-input').setInputFiles([{ name: 'gray.png', mimeType: 'image/png', buffer: grayPhoto() }]);
  const card = page.locator('[data-testid="photo-card"][data-name="gray.png"]');
  // The detector's weights came from the cache: it ran and found no face (not "could not load").
  await expect(card.getByRole('status')).toHaveText(/No face found in this photo/, { timeout: 90_000 });
  await card.getByRole('button', { name: 'Classify the centre' }).click();
  await expect(card.getByTestId('face-details').getByRole('listitem')).toHaveCount(7);
  await page.screenshot({ path: test.info().outputPath('offline.png'), fullPage: true });
});
