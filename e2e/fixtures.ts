// Playwright fixtures: page objects for the app's screens and helpers for test inputs.
import { test as base, expect, type Page } from '@playwright/test';
import { FER2013_EMOTIONS } from '../src/core/labels/fer2013';

/** FER2013's per-class counts of each Usage, as published. */
export const OFFICIAL_COUNTS = {
  train: [3995, 436, 4097, 7215, 4830, 3171, 4965],
  validation: [467, 56, 496, 895, 653, 415, 607],
  test: [491, 55, 528, 879, 594, 416, 626],
};

export class DatasetPanel {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('/');
  }

  async loadDemo(size: 'tiny' | 'small' | 'large' = 'small') {
    await this.page.getByLabel('Demo size').selectOption(size);
    await this.page.getByRole('button', { name: 'Use demo data' }).click();
    await expect(this.page.getByTestId('dataset-summary')).toBeVisible({ timeout: 60_000 });
  }

  /** Picks a file through the file input: a path on disk, or in-memory contents. */
  async upload(file: string | { name: string; buffer: Buffer | Uint8Array; mimeType?: string }) {
    const input = this.page.getByTestId('file-input');
    if (typeof file === 'string') await input.setInputFiles(file);
    else await input.setInputFiles({ name: file.name, mimeType: file.mimeType ?? 'text/csv', buffer: Buffer.from(file.buffer) });
  }

  /** Drops in-memory contents on the drop zone, as a user dragging a file would. */
  async drop(name: string, contents: string) {
    const dataTransfer = await this.page.evaluateHandle(
      ({ name, contents }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([contents], name, { type: 'text/csv' }));
        return transfer;
      },
      { name, contents },
    );
    await this.page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  }

  summary() {
    return this.page.getByTestId('dataset-summary');
  }

  error() {
    return this.page.getByRole('alert');
  }

  /** Reads the counts table: split -> class -> count, plus totals. */
  async counts(): Promise<Record<'train' | 'validation' | 'test', number[]>> {
    const read = async (split: string) =>
      Promise.all(FER2013_EMOTIONS.map(async (emotion) => Number((await this.page.getByTestId(`count-${split}-${emotion}`).textContent())!.replace(/,/g, ''))));
    return { train: await read('train'), validation: await read('validation'), test: await read('test') };
  }
}

export class TrainingPanel {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open() {
    await this.page.getByRole('tab', { name: /Train/ }).click();
  }

  /** Picks a network and a few settings (the rest stay at their defaults). */
  async configure({ architecture = 'Compact', epochs, backend }: { architecture?: string; epochs?: number; backend?: string }) {
    await this.page.locator('.architecture', { hasText: architecture }).locator('input').check();
    if (epochs !== undefined) {
      await this.page.getByRole('radio', { name: 'For a number of epochs' }).check();
      await this.page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
    }
    if (backend !== undefined) await this.page.getByLabel('Backend', { exact: true }).selectOption(backend);
  }

  async start() {
    await this.page.getByRole('button', { name: 'Start training' }).click();
  }

  /** Trains the compact net for one epoch on the loaded data set and waits until it is the active model. */
  async trainBriefly() {
    await this.open();
    await this.configure({ architecture: 'Compact', epochs: 1 });
    await this.start();
    await expect(this.result()).toContainText('is now the active model', { timeout: 240_000 });
  }

  /** Waits until `epochs` epochs have finished (reading the per-epoch curve). */
  async waitForEpochs(epochs: number, timeout = 240_000) {
    await expect(this.page.getByTestId('training-panel')).toHaveAttribute('data-epochs', String(epochs), { timeout });
  }

  result() {
    return this.page.getByTestId('training-result');
  }
}

/**
 * Whether each of the page's workers still runs JavaScript: one that answers within a few seconds is idle or
 * waiting (for a file read, a message…); one that does not is stuck in a long computation or a native wait.
 */
async function workerStates(page: Page): Promise<string> {
  const states = await Promise.all(
    page.workers().map(async (worker) => {
      const name = worker.url().split('/').pop()?.split('?')[0] ?? worker.url();
      const answered = await Promise.race([
        worker.evaluate(() => 'answered').catch((error: Error) => `could not be asked (${error.message.split('\n')[0]})`),
        new Promise<string>((resolve) => setTimeout(() => resolve('did not answer within 5 s (its thread is busy or blocked)'), 5_000)),
      ]);
      return `worker ${name}: ${answered}`;
    }),
  );
  return states.length > 0 ? states.join('\n') : 'the page had no workers';
}

export const test = base.extend<{ datasetPanel: DatasetPanel; trainingPanel: TrainingPanel }>({
  datasetPanel: async ({ page }, use, testInfo) => {
    // What went wrong inside the page shows in the test's output, not only in its trace.
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('crash', () => console.error('the page crashed (its renderer process died)'));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error('page console error:', message.text());
      // A file read that stalled and was started again (src/core/csv/csv-source.ts) passes, but should be seen.
      if (message.type() === 'warning' && message.text().startsWith('reading the file:')) console.error('page console warning:', message.text());
    });
    const panel = new DatasetPanel(page);
    await panel.open();
    await use(panel);
    // A failed test prints what the screen said at the end (a load still running, another message…).
    if (testInfo.status !== testInfo.expectedStatus && !page.isClosed()) {
      const messages = page.locator('[role="alert"], [role="status"], [data-testid="load-progress"], [data-testid="dataset-summary"]');
      const shown = await messages.allInnerTexts().catch((error: Error) => [`(could not be read: ${error.message})`]);
      console.error(`what the screen said at the end of "${testInfo.title}":\n${shown.join('\n') || '(no message, progress or data set)'}`);
      console.error(await workerStates(page));
    }
  },
  trainingPanel: async ({ page }, use) => {
    await use(new TrainingPanel(page));
  },
});

export { expect };
