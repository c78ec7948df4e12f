// Node-side helpers for benchmarks: the app's Vite server, headless Chromium, and heap sampling over CDP.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumPath, CHROMIUM_ARGS } from '../../scripts/chromium';

const BENCH_OUT_DIR = 'node_modules/.bench-dist';

/**
 * Builds the app as production does, plus the benchmark-only pages, and serves it with `vite preview`
 * (same headers as the app). Returns the server and its base URL.
 */
export async function startBenchServer(extraPages: Record<string, string> = {}): Promise<{ server: PreviewServer; url: string }> {
  const outDir = BENCH_OUT_DIR;
  await build({
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify: process.env.BENCH_MINIFY !== '0', rollupOptions: { input: { app: 'index.html', ...extraPages } } },
  });
  const server = await preview({ logLevel: 'error', build: { outDir }, preview: { port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  return { server, url: `http://localhost:${address.port}` };
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}; see README (npm test installs it)`);
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

interface HeapUsage {
  usedSize: number;
  backingStorageSize: number;
}

/**
 * Samples the JS heap (used size + ArrayBuffer backing stores) of the page and of every dedicated worker
 * it starts, every intervalMs. Workers are reached through a browser-level CDP session, since Playwright
 * opens CDP sessions for pages only.
 */
export class HeapSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly workerSessions = new Map<string, string>(); // targetId -> sessionId
  private readonly pending = new Map<number, (usage: HeapUsage) => void>();
  private nextId = 1;
  /** Highest sum over page + workers seen, in bytes. */
  peakTotal = 0;
  /** Highest single-worker figure seen, in bytes. */
  peakWorker = 0;
  peakPage = 0;
  /** Highest figure of each worker, by its name ('dataset', 'training', …), in bytes. */
  readonly peakByWorker = new Map<string, number>();
  private readonly workerNames = new Map<string, string>(); // sessionId -> worker name

  private readonly browserSession: CDPSession;
  private readonly pageSession: CDPSession;

  private constructor(browserSession: CDPSession, pageSession: CDPSession) {
    this.browserSession = browserSession;
    this.pageSession = pageSession;
    browserSession.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: HeapUsage };
      if (message.id !== undefined && message.result) this.pending.get(message.id)?.(message.result);
      if (message.id !== undefined) this.pending.delete(message.id);
    });
  }

  static async create(browser: Browser, page: Page): Promise<HeapSampler> {
    return new HeapSampler(await browser.newBrowserCDPSession(), await page.context().newCDPSession(page));
  }

  start(intervalMs = 25): void {
    this.peakTotal = this.peakWorker = this.peakPage = 0;
    this.peakByWorker.clear();
    const tick = async () => {
      try {
        await this.sample();
      } catch {
        // a worker that just ended cannot answer; the next tick goes on
      }
      if (this.timer) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async sample(): Promise<void> {
    const { targetInfos } = await this.browserSession.send('Target.getTargets');
    for (const target of targetInfos) {
      if (target.type !== 'worker' || this.workerSessions.has(target.targetId)) continue;
      const { sessionId } = await this.browserSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      this.workerSessions.set(target.targetId, sessionId);
      this.workerNames.set(sessionId, target.title || target.url.split('/').pop() || target.targetId);
    }
    const live = new Set(targetInfos.map((target) => target.targetId));
    const page = (await this.pageSession.send('Runtime.getHeapUsage')) as HeapUsage;
    const sessions = [...this.workerSessions].filter(([targetId]) => live.has(targetId)).map(([, sessionId]) => sessionId);
    const workers = await Promise.all(sessions.map((sessionId) => this.workerHeap(sessionId)));
    sessions.forEach((sessionId, i) => {
      const usage = workers[i];
      if (!usage) return;
      const name = this.workerNames.get(sessionId)!;
      this.peakByWorker.set(name, Math.max(this.peakByWorker.get(name) ?? 0, usage.usedSize + usage.backingStorageSize));
    });
    const pageBytes = page.usedSize + page.backingStorageSize;
    const workerBytes = workers.map((usage) => (usage ? usage.usedSize + usage.backingStorageSize : 0));
    this.peakPage = Math.max(this.peakPage, pageBytes);
    this.peakWorker = Math.max(this.peakWorker, ...workerBytes, 0);
    this.peakTotal = Math.max(this.peakTotal, pageBytes + workerBytes.reduce((a, b) => a + b, 0));
  }

  private workerHeap(sessionId: string): Promise<HeapUsage | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, 1000);
      this.pending.set(id, (usage) => {
        clearTimeout(timeout);
        resolve(usage);
      });
      void this.browserSession
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) })
        .catch(() => resolve(null));
    });
  }
}
