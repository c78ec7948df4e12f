// npm run bench:train — training and inference speed of the three nets on every tfjs backend that starts in
// headless Chromium (WebGPU, WebGL, WASM with threads, CPU) and on WASM in Node, next to native PyTorch when
// `/usr/bin/python3 -c "import torch"` works. Prints a Markdown table and per-kernel WASM profiles.
// Usage: npm run bench:train [-- --out FILE.json] [--archs compact,seed] [--backends wasm,node-wasm]
//        [--batch 64] [--threads N] [--budget-s 8] [--convs winograd,direct] [--simd relaxed,plain]
// Every WASM net runs once per kernel variant, one right after the other: each conv mode (3x3 stride-1 convs by
// Winograd, or by the direct kernel) with each build of our SIMD kernels (relaxed SIMD's fused multiply-add
// where the engine has it, or plain multiply and add); a table gives each variant against the default pair by
// pair. Defaults: both conv modes, the relaxed build. Each WASM row also measures the kernel threads' SIMD
// multiply-add peak (src/wasm-training/simd-peak.ts) and reports the share of it the training step turns into
// the multiply-adds its algorithms need (src/wasm-training/step-arithmetic.ts).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { architectureCost, ARCHITECTURES, type ArchitectureName } from '../src/core/nets/architectures';
import { setWasmPathsForNode } from '../src/wasm-training/node-wasm-paths';
import { registerWasmTrainingKernels } from '../src/wasm-training/register';
import { useWinograd } from '../src/wasm-training/conv2d-simd';
import { kernelsBuild, useRelaxedSimd } from '../src/wasm-training/simd-module';
import type { BenchReply, BenchRequest, BrowserBackend, BenchWindow } from './browser/train-bench-protocol';
import { measureArchitecture, type MeasureOptions, type MeasureRecord } from './browser/train-measure';
import { launchChromium, startBenchServer } from './lib/browser';
import { enableRelaxedSimdInNode } from '../scripts/node-wasm-features';
import { median } from '../src/core/statistics';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    archs: { type: 'string', default: ARCHITECTURES.join(',') },
    backends: { type: 'string', default: 'webgpu,webgl,wasm,cpu,node-wasm' },
    batch: { type: 'string', default: '64' },
    threads: { type: 'string', default: String(cpus().length) },
    'budget-s': { type: 'string', default: '8' },
    convs: { type: 'string', default: 'winograd,direct' },
    simd: { type: 'string', default: 'relaxed' },
  },
});

const BATCH = Number(args.batch);
const ARCHS = args.archs!.split(',') as ArchitectureName[];
const BACKENDS = args.backends!.split(',');
/** A browser backend slower than this on compact is "slow": smaller batch, no seed net (see report). */
const SLOW_COMPACT_STEP_MS = 30_000;
const PROBE_BATCH = 8;
const PYTHON = '/usr/bin/python3';
type ConvMode = 'winograd' | 'direct';
type SimdBuild = 'relaxed' | 'plain';
const CONV_MODES = args.convs!.split(',') as ConvMode[];
for (const mode of CONV_MODES) if (mode !== 'winograd' && mode !== 'direct') throw new Error(`--convs: unknown mode ${mode} (winograd, direct)`);
const SIMD_BUILDS = args.simd!.split(',') as SimdBuild[];
for (const build of SIMD_BUILDS) if (build !== 'relaxed' && build !== 'plain') throw new Error(`--simd: unknown build ${build} (relaxed, plain)`);
/** How a WASM row ran our kernels. */
interface Variant {
  conv: ConvMode;
  simd: SimdBuild;
}
const VARIANTS: Variant[] = CONV_MODES.flatMap((conv) => SIMD_BUILDS.map((simd) => ({ conv, simd })));
const isDefault = (v: Variant) => v.conv === 'winograd' && v.simd === 'relaxed';
/** The backend label of a WASM row: rows that ran other than the default say how. */
const withVariant = (label: string, v: Variant) => [label, ...(v.conv === 'direct' ? ['direct 3x3'] : []), ...(v.simd === 'plain' ? ['plain SIMD'] : [])].join(', ');

interface Row {
  backend: string;
  /** WASM rows: the backend without the variant, and how our kernels ran. */
  base?: string;
  variant?: Variant;
  device: string;
  arch: ArchitectureName;
  record?: MeasureRecord;
  skipped?: string;
  torchTrainImgPerSec?: number;
  torchInferImgPerSec?: number;
  ratioToTorch?: number;
  inferRatioToTorch?: number;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

function options(arch: ArchitectureName, overrides: Partial<MeasureOptions> = {}): MeasureOptions {
  return {
    arch,
    batch: BATCH,
    warmupBatches: 2,
    minBatches: 5,
    maxBatches: 12,
    budgetMs: Number(args['budget-s']) * 1000,
    slowStepMs: 20_000,
    profile: false,
    ...overrides,
  };
}

/** PyTorch figures per arch, or the reason there are none. */
function runTorch(): { results: Map<string, { trainImgPerSec: number; inferImgPerSec: number }>; note: string } {
  const results = new Map<string, { trainImgPerSec: number; inferImgPerSec: number }>();
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { results, note: `PyTorch not available (${PYTHON} -c "import torch" failed; Debian: apt-get install python3-torch): no ratios` };
  log('PyTorch reference...');
  const run = spawnSync(PYTHON, ['bench/torch_train.py', '--archs', ARCHS.join(','), '--batch', String(BATCH), '--budget-s', args['budget-s']!], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) return { results, note: `PyTorch run failed: ${run.stderr.slice(-500)}` };
  const parsed = JSON.parse(run.stdout) as { torch: string; threads: number; results: { arch: string; trainImgPerSec: number; inferImgPerSec: number }[] };
  for (const r of parsed.results) results.set(r.arch, r);
  return { results, note: `PyTorch ${parsed.torch}, ${parsed.threads} threads, native CPU` };
}

async function runBrowser(rows: Row[]): Promise<void> {
  const browserBackends = BACKENDS.filter((b) => b !== 'node-wasm') as BrowserBackend[];
  if (browserBackends.length === 0) return;
  // Worker bundles stay unminified (vite.config.ts); the page bundle may be minified either way.
  const { server, url } = await startBenchServer({ trainBench: 'bench/browser/train-bench.html' });
  const browser = await launchChromium(['--enable-unsafe-webgpu']);
  try {
    const page = await browser.newPage();
    page.on('console', (message) => log(`  [page] ${message.text()}`));
    await page.goto(`${url}/bench/browser/train-bench.html`);
    const run = async (request: BenchRequest) => {
      const reply = (await page.evaluate((r) => (window as unknown as BenchWindow).benchTrain(r), request)) as BenchReply;
      if (reply.type !== 'result') throw new Error(reply.type === 'error' ? reply.message : 'unexpected reply');
      return reply;
    };
    for (const backend of browserBackends) {
      const label = backend === 'wasm' ? `wasm (${args.threads} threads)` : backend;
      const wasmThreads = backend === 'wasm' ? Number(args.threads) : undefined;
      let batch = BATCH;
      let slowNote = '';
      let compactStepMs = NaN;
      // Probe: one small compact step tells whether a full batch would take minutes (software GPUs, CPU).
      if (backend !== 'wasm') {
        try {
          log(`${label}: probe (compact, batch ${PROBE_BATCH})`);
          const probe = await run({ backend, options: options('compact', { batch: PROBE_BATCH, warmupBatches: 1, minBatches: 1, maxBatches: 1 }) });
          compactStepMs = (median(probe.record.trainStepMs) * BATCH) / PROBE_BATCH;
          if (compactStepMs > SLOW_COMPACT_STEP_MS) {
            batch = PROBE_BATCH;
            slowNote = `slow backend: a batch of ${BATCH} would take ~${(compactStepMs / 1000).toFixed(0)} s, so timed on batch ${PROBE_BATCH}, 1 warm-up + 1-2 timed batches`;
          }
        } catch (err) {
          for (const arch of ARCHS) rows.push({ backend: label, device: '', arch, skipped: `did not start: ${firstLine(err)}` });
          continue;
        }
      }
      for (const arch of ARCHS) {
        const flopsRatio = architectureCost(arch).flopsPerImage / architectureCost('compact').flopsPerImage;
        if (slowNote && flopsRatio > 2) {
          rows.push({ backend: label, device: '', arch, skipped: `skipped: ~${((compactStepMs * flopsRatio) / 60_000).toFixed(0)} min per batch of ${BATCH} estimated from compact` });
          continue;
        }
        for (const variant of backend === 'wasm' ? VARIANTS : [undefined]) {
          const rowLabel = variant ? withVariant(label, variant) : label;
          log(`${rowLabel}: ${arch}`);
          try {
            const slow = slowNote !== '';
            const reply = await run({
              backend,
              wasmThreads,
              winograd: variant?.conv !== 'direct',
              relaxedSimd: variant?.simd !== 'plain',
              options: options(arch, { batch, profile: backend === 'wasm', ...(slow ? { warmupBatches: 1, minBatches: 1, maxBatches: 2, budgetMs: 1 } : {}) }),
            });
            if (slowNote) reply.record.notes.unshift(slowNote);
            rows.push({ backend: rowLabel, base: label, variant, device: reply.device, arch, record: reply.record });
          } catch (err) {
            rows.push({ backend: rowLabel, device: '', arch, skipped: `failed: ${firstLine(err)}` });
          }
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function runNodeWasm(rows: Row[]): Promise<void> {
  if (!BACKENDS.includes('node-wasm')) return;
  enableRelaxedSimdInNode();
  setWasmPathsForNode();
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  for (const arch of ARCHS)
    for (const variant of VARIANTS) {
      const label = withVariant('node + wasm', variant);
      log(`${label}: ${arch}`);
      useWinograd(variant.conv === 'winograd');
      useRelaxedSimd(variant.simd === 'relaxed');
      const record = await measureArchitecture(options(arch, { profile: true }));
      rows.push({ backend: label, base: 'node + wasm', variant, device: `Node.js, 1 thread (tfjs-wasm has no threads in Node), ${kernelsBuild()} build`, arch, record });
    }
  useWinograd(true);
  useRelaxedSimd(true);
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];
const fmt = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

function report(rows: Row[], torchNote: string, loadBefore: number[], loadAfter: number[]): void {
  console.log(`\nbench:train — batch ${BATCH}, random 48x48 faces, Adam; median step after warm-up`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`);
  console.log(`${torchNote}\n`);
  console.log('| backend | arch | train img/s | infer img/s | train GFLOP/s | infer GFLOP/s | tensors before → after | PyTorch train img/s | tfjs / PyTorch (train) | tfjs / PyTorch (infer) | notes |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const r = row.record;
    if (!r) {
      console.log(`| ${row.backend} | ${row.arch} | — | — | — | — | — | ${fmt(row.torchTrainImgPerSec)} | — | — | ${row.skipped ?? ''} |`);
      continue;
    }
    const notes = [...(r.batch !== BATCH ? [`batch ${r.batch}`] : []), ...r.notes].join('; ');
    console.log(
      `| ${row.backend} | ${row.arch} | ${fmt(r.trainImgPerSec)} | ${fmt(r.inferImgPerSec)} | ${fmt(r.trainGflopPerSec)} | ${fmt(r.inferGflopPerSec)} | ` +
        `${r.tensorsBefore} → ${r.tensorsAfter} | ${fmt(row.torchTrainImgPerSec)} | ${fmt(row.ratioToTorch === undefined ? undefined : row.ratioToTorch * 100, 0)}${row.ratioToTorch === undefined ? '' : ' %'} | ` +
        `${fmt(row.inferRatioToTorch === undefined ? undefined : row.inferRatioToTorch * 100, 0)}${row.inferRatioToTorch === undefined ? '' : ' %'} | ${notes} |`,
    );
  }
  const others = rows.filter((row) => row.variant && !isDefault(row.variant) && row.record);
  if (others.length > 0) {
    console.log('\nThe default kernels (Winograd F(2x2,3x3) for 3x3 stride-1 convs, relaxed SIMD) against each other variant (same net, run one after the other):');
    console.log('| backend | arch | variant | train img/s default | train img/s variant | speed-up | infer speed-up |');
    console.log('|---|---|---|---|---|---|---|');
    for (const other of others) {
      const main = rows.find((row) => row.variant && isDefault(row.variant) && row.base === other.base && row.arch === other.arch)?.record;
      if (!main || !other.record) continue;
      console.log(
        `| ${other.base} | ${other.arch} | ${other.backend.slice(other.base!.length + 2)} | ${fmt(main.trainImgPerSec)} | ${fmt(other.record.trainImgPerSec)} | ` +
          `${(main.trainImgPerSec / other.record.trainImgPerSec).toFixed(2)}× | ${(main.inferImgPerSec / other.record.inferImgPerSec).toFixed(2)}× |`,
      );
    }
  }
  const measured = rows.filter((row) => row.record?.arithmetic);
  if (measured.length > 0) {
    console.log('\nArithmetic against the SIMD peak (WASM): the multiply-adds a training step does per face with our kernels\' algorithms');
    console.log("(Winograd's 16 per 2x2 tile, not direct-conv FLOPs; BatchNorm, pooling and the optimizer left out), times train img/s,");
    console.log('against the four-lane multiply-add peak of the kernel threads measured in the same worker right before:');
    console.log('| backend | arch | M multiply-adds per face | G multiply-adds/s done | SIMD peak G/s (threads, build) | share of peak |');
    console.log('|---|---|---|---|---|---|');
    for (const row of measured) {
      const a = row.record!.arithmetic!;
      console.log(
        `| ${row.backend} | ${row.arch} | ${fmt(a.multiplyAddsPerImage / 1e6, 2)} | ${fmt(a.multiplyAddsPerSecond / 1e9)} | ` +
          `${fmt(a.peak.multiplyAddsPerSecond / 1e9)} (${a.peak.threads}, ${a.peak.build}) | ${fmt((a.multiplyAddsPerSecond / a.peak.multiplyAddsPerSecond) * 100, 0)} % |`,
      );
    }
  }
  console.log('\nDevices:');
  for (const device of new Set(rows.filter((r) => r.device).map((r) => `- ${r.backend}: ${r.device}`))) console.log(device);
  for (const row of rows) {
    const profile = row.record?.profile;
    if (!profile) continue;
    const total = profile.kernels.reduce((sum, k) => sum + (Number.isNaN(k.ms) ? 0 : k.ms), 0);
    console.log(`\nKernel profile, one training step, ${row.arch} on ${row.backend}: ${profile.stepMs.toFixed(0)} ms wall, ${total.toFixed(0)} ms in kernels`);
    console.log('| kernel | ms | % of kernel time | calls |');
    console.log('|---|---|---|---|');
    for (const k of profile.kernels.slice(0, 15)) console.log(`| ${k.name} | ${k.ms.toFixed(1)} | ${((k.ms / total) * 100).toFixed(1)} | ${k.calls} |`);
    console.log(`slowest calls: ${profile.slowest.slice(0, 6).map((c) => `${c.name} ${c.ms.toFixed(1)} ms ${JSON.stringify(c.inputShapes)}`).join('; ')}`);
  }
}

async function main() {
  // This process counts the nets' costs (architectureCost builds each model) before any WASM run of its own, and
  // the registered but not yet started 'wasm' backend would otherwise be picked for that and refuse.
  await tf.setBackend('cpu');
  const loadBefore = loadavg();
  const rows: Row[] = [];
  const torch = runTorch();
  await runBrowser(rows);
  await runNodeWasm(rows);
  const loadAfter = loadavg();
  for (const row of rows) {
    const reference = torch.results.get(row.arch);
    if (!reference) continue;
    row.torchTrainImgPerSec = reference.trainImgPerSec;
    row.torchInferImgPerSec = reference.inferImgPerSec;
    if (row.record) {
      row.ratioToTorch = row.record.trainImgPerSec / reference.trainImgPerSec;
      row.inferRatioToTorch = row.record.inferImgPerSec / reference.inferImgPerSec;
    }
  }
  report(rows, torch.note, loadBefore, loadAfter);
  if (args.out) {
    const records = rows.map((row) => ({
      backend: row.backend,
      conv: row.variant?.conv ?? null,
      simd: row.variant?.simd ?? null,
      arch: row.arch,
      device: row.device,
      trainImgPerSec: row.record?.trainImgPerSec ?? null,
      inferImgPerSec: row.record?.inferImgPerSec ?? null,
      trainGflopPerSec: row.record?.trainGflopPerSec ?? null,
      multiplyAddsPerImage: row.record?.arithmetic?.multiplyAddsPerImage ?? null,
      simdPeakMultiplyAddsPerSecond: row.record?.arithmetic?.peak.multiplyAddsPerSecond ?? null,
      shareOfSimdPeak: row.record?.arithmetic ? row.record.arithmetic.multiplyAddsPerSecond / row.record.arithmetic.peak.multiplyAddsPerSecond : null,
      inferGflopPerSec: row.record?.inferGflopPerSec ?? null,
      tensorsBefore: row.record?.tensorsBefore ?? null,
      tensorsAfter: row.record?.tensorsAfter ?? null,
      batch: row.record?.batch ?? BATCH,
      ...(row.torchTrainImgPerSec !== undefined ? { torchTrainImgPerSec: row.torchTrainImgPerSec, torchInferImgPerSec: row.torchInferImgPerSec, ratioToTorch: row.ratioToTorch ?? null } : {}),
      skipped: row.skipped ?? null,
      notes: row.record?.notes ?? [],
      detail: row.record ?? null,
    }));
    writeFileSync(args.out, JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, loadBefore, loadAfter }, torch: torch.note, records }, null, 2));
    log(`wrote ${args.out}`);
  }
}

await main();
