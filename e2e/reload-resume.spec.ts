// Two tabs of one profile: the training tab is reloaded mid-run while the other tab has loaded another data set.
// The reloaded tab must offer its own run for resuming (naming the data set it needs), never claim that another
// tab trains it: the lock its previous page held may still be releasing when the new page first asks.
import { ferCsv, validRows } from '../src/core/testing/fer-rows';
import { expect, test } from './fixtures';

test('a reloaded training tab offers its own run for resuming, not "trained in another tab", three times over', async ({ datasetPanel, trainingPanel, page }) => {
  test.setTimeout(600_000);
  // Records every resume banner the page shows, from its first render on (set before each load of the page).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { resumeBannersSeen: string[] }).resumeBannersSeen = seen;
    new MutationObserver(() => {
      const banner = document.querySelector('[data-testid="resume-banner"]');
      if (banner) seen.push(banner.getAttribute('data-elsewhere') === 'true' ? 'elsewhere' : 'offer');
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  const other = await page.context().newPage();
  await other.goto('/');

  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.getByRole('tab', { name: /Data/ }).click();
    await datasetPanel.loadDemo('tiny');
    await trainingPanel.open();
    const banner = page.getByTestId('resume-banner');
    if (attempt === 1) {
      await trainingPanel.configure({ architecture: 'Compact', epochs: 30 });
      await trainingPanel.start();
    } else {
      await banner.getByRole('button', { name: /Resume from epoch/ }).click();
    }
    // A checkpoint is stored at the end of each epoch: wait for one more, so the run is resumable.
    const epochs = Number((await page.getByTestId('training-panel').getAttribute('data-epochs')) ?? 0);
    await trainingPanel.waitForEpochs(epochs + 1);

    // The other tab loads another data set, as a new user would; then the training tab is reloaded mid-run.
    const name = `other-${attempt}.csv`;
    await other.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(ferCsv(validRows(12))) });
    await expect(other.getByTestId('dataset-summary')).toContainText(name, { timeout: 60_000 });
    await page.reload();
    await expect(page.getByTestId('dataset-summary')).toContainText(name, { timeout: 60_000 });
    await trainingPanel.open();
    await expect(banner).toContainText(/Resume run compact on Synthetic demo faces .* from epoch \d+/, { timeout: 20_000 });
    await expect(banner).toContainText('Load Synthetic demo faces');
    await expect(banner.getByRole('button', { name: /Resume from epoch/ })).toBeDisabled();
    // Over a few of the screen's re-checks, the offer stays and no banner ever said "another tab".
    await page.waitForTimeout(4000);
    await expect(banner).not.toHaveAttribute('data-elsewhere', 'true');
    const seen = await page.evaluate(() => (window as unknown as { resumeBannersSeen: string[] }).resumeBannersSeen);
    expect(seen, `attempt ${attempt}: banners shown after the reload`).not.toContain('elsewhere');
  }
  await other.close();
});
