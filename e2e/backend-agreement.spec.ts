// GPU training verified on software adapters: each of the app's nets trains for a few steps on WebGPU and on WebGL
// in Chromium (SwiftShader here) and on the CPU backend, from the same weights and faces, with the app's own layers,
// optimizer, augmentation and train step (src/core/testing/backend-agreement.ts); weights, optimizer state and
// losses must agree. And no leaks: tf.memory() (tensors and bytes) stays the same after every step but the first on
// both GPU backends, for every net, over 12 steps for the compact net (its GPU runs go on after the 3 compared).
//
// Tolerance (AGREEMENT_TOLERANCE): relative 1e-3 for each step's loss, for each optimizer-state tensor after
// step 1 (Adam's moments there are 0.1·g and 0.001·g², momentum's accumulator is g: the first gradient) and, after
// the last step, for each weight tensor's change (‖gpu − cpu‖ / ‖cpu − initial‖) and each optimizer-state tensor.
// Why: the backends sum in different orders, so float32 rounding alone separates them; measured here it stays
// at 1e-4 or below for every net on both backends (1e-5 for most tensors, 1e-5 for the first gradients), through
// ~20 layers forward and back and 2-3 steps. 1e-3 leaves a margin of 10x over the worst of that and is still far
// below what the two bugs this test found gave: WebGPU's AddN dropped Mini-Xception's whole step (weights 40 %
// off), WebGL's clip let a batch of one face be augmented with pixels from past its edge (the augmented face 14 %
// off, gradients 10-100 %).
// What rounding can legitimately flip, and these cases are chosen (and measured) not to hit: a max-pool window
// whose two largest inputs are within rounding of each other sends its gradient to a different pixel (WebGPU and
// WebGL take the last of equal maxima, the CPU the first: Mini-Xception at 48 px, batch 4 had one such window,
// 1e-2 on the first gradient); Adam's first step is ±lr for any gradient above its epsilon, so a gradient that is
// rounding noise flips a weight by 2·lr (the seed net with Adam: 6e-3 after one step, 1e-1 after two). The seed
// net therefore trains here with its recipe's SGD-Nesterov (it agrees at 2e-5); Adam runs on compact and
// Mini-Xception. A failure lists every tensor over the tolerance, with its relative and largest absolute error.
//
// SwiftShader is slow (a step of the compact net on 24 px faces takes seconds, the first one compiles every
// shader): the nets that end in global average pooling train on the centre of each augmented face (24 or 32 px,
// same weights), the seed net (which needs 40-48 px) on 40 px, batch 1. Each net's three runs go at once, in one
// worker per backend kept for all nets (as the app trains in a worker, WebGL on an OffscreenCanvas): a backend
// compiles a kernel once, and WebGPU's take most shapes as uniforms, so later nets reuse them.
import { chromium, expect, test, type Browser, type ConsoleMessage, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumPath, CHROMIUM_ARGS } from '../scripts/chromium';
import { AGREEMENT_CASES, AGREEMENT_TOLERANCE, memoryIsFlat, type AgreementCase } from '../src/core/testing/backend-agreement';
import type { BackendAgreementApi } from './backend-agreement/page';

const OUT_DIR = 'node_modules/.backend-agreement';
const GPU_BACKENDS = ['webgpu', 'webgl'];
/** Steps the compact net's GPU runs take for the memory trace (a WebGPU step of it takes ~3 s on SwiftShader). */
const LEAK_STEPS = 12;

test.describe.configure({ mode: 'serial' });

let server: PreviewServer;
let browser: Browser;
let page: Page;
/** The page's and its workers' console errors and warnings (WebGPU validation errors land here). */
const consoleLines: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Its own small build and server: the test page is no part of the app (or of the e2e build the other specs use).
  await build({
    configFile: false,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir: OUT_DIR, emptyOutDir: true, target: 'es2022', minify: false, rolldownOptions: { input: { agreement: 'e2e/backend-agreement/index.html' } } },
  });
  server = await preview({ configFile: false, logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  // WebGPU needs --enable-unsafe-webgpu on Linux (a switch: Playwright's own --enable-features flag is untouched).
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] });
  page = await browser.newPage();
  const keep = (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleLines.push(message.text());
  };
  page.on('console', keep);
  page.on('worker', (worker) => worker.on('console', keep));
  await page.goto(`http://localhost:${address.port}/e2e/backend-agreement/index.html`);
  await page.waitForFunction(() => 'backendAgreement' in window);
});

test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const api = (p: Page) => p.evaluateHandle(() => (window as unknown as { backendAgreement: BackendAgreementApi }).backendAgreement);

test('Chromium offers WebGPU and WebGL 2 (SwiftShader on machines without a GPU)', async () => {
  const devices = await (await api(page)).evaluate((a) => a.devices());
  console.log(`WebGPU: ${devices.webgpu}\nWebGL: ${devices.webgl}`);
  expect(devices.webgpu).not.toMatch(/^no /);
  expect(devices.webgl).not.toMatch(/^no /);
});

const describeCase = (c: AgreementCase) =>
  `${c.optimizer}${c.weightDecay > 0 ? ` + weight decay ${c.weightDecay}` : ''}${c.labelSmoothing > 0 ? ` + label smoothing ${c.labelSmoothing}` : ''}, ` +
  `${c.steps} steps of ${c.batch} augmented face${c.batch === 1 ? '' : 's'} (${c.inputSize} px)`;

for (const c of AGREEMENT_CASES) {
  const gpuSteps = c.arch === 'compact' ? LEAK_STEPS : c.steps;
  test(`${c.arch} trains on WebGPU and WebGL as on the CPU, without leaking: ${describeCase(c)}`, async () => {
    test.setTimeout(360_000);
    const seen = consoleLines.length;
    const reply = await (
      await api(page)
    ).evaluate((a, [c, backends, tolerance, gpuSteps]) => a.compare(c, backends, tolerance, gpuSteps), [c, GPU_BACKENDS, AGREEMENT_TOLERANCE, gpuSteps] as const);
    for (const r of reply.comparisons) {
      console.log(
        `${c.arch} on ${r.backend}: losses ${r.lossRelative.map((e) => e.toExponential(1)).join(', ')}; first gradient ${r.worstFirstGradient.relative.toExponential(1)} ` +
          `(${r.worstFirstGradient.name}); weights ${r.worstWeight.relative.toExponential(1)} (${r.worstWeight.name}); optimizer ${r.worstOptimizer.relative.toExponential(1)} ` +
          `(${r.worstOptimizer.name}); tensors after each step ${r.memory.map((m) => m.numTensors).join(' ')}; steps ${r.stepMs.join(', ')} ms (CPU ${reply.refStepMs.join(', ')})`,
      );
    }
    console.log(`${c.arch}: ${(reply.ms / 1000).toFixed(1)} s`);
    expect(reply.unavailable, 'every GPU backend starts').toEqual({});
    expect(reply.deviceErrors, 'errors the WebGPU device raised').toEqual({});
    for (const r of reply.comparisons) {
      expect(r.failures, `${c.arch} on ${r.backend} against the CPU\n${consoleLines.slice(seen).join('\n')}`).toEqual([]);
      expect(r.memory).toHaveLength(gpuSteps);
      expect(memoryIsFlat(r.memory), `${c.arch} on ${r.backend}: tf.memory() after each step ${JSON.stringify(r.memory)}`).toBe(true);
    }
  });
}

// A GPU lost mid-run (a driver reset, the browser taking the context back) must end the run with a clear message
// and keep the last checkpoint from before the loss: without the checks, tfjs goes on computing on nothing (zeros
// or garbage) and the next checkpoint would store it.
for (const backend of GPU_BACKENDS as ('webgpu' | 'webgl')[]) {
  test(`${backend} lost after epoch 1\u2019s checkpoint: the run stops with a clear message, and no later checkpoint is handed on`, async () => {
    test.setTimeout(240_000);
    const reply = await (await api(page)).evaluate((a, b) => a.gpuLoss(b), backend);
    console.log(`${backend} loss: ${JSON.stringify(reply)}`);
    expect(reply.backend).toBe(backend);
    expect(reply.errorName, JSON.stringify(reply)).toBe('BackendLostError');
    expect(reply.error).toMatch(backend === 'webgl' ? /^The WebGL context was lost/ : /^The WebGPU device was lost \(.+\)/);
    expect(reply.error).toContain('Resume continues from it');
    expect(reply.checkpoints).toEqual([1]);
    expect(reply.batchesAfterLoss).toBeLessThanOrEqual(1);
  });
}

