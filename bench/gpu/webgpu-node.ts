// Runs in Node on a machine with a GPU (the device machine, through bench/gpu/run-on-device.sh): trains the
// nets on tfjs-backend-webgpu over Dawn's Vulkan backend and prints a Markdown table plus JSON. Fails within
// seconds, saying what is missing, when there is no usable adapter.
// Usage: node webgpu-node.mjs [--archs seed,compact] [--batch 64] [--out FILE.json]
import './dawn-globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { ArchitectureName } from '../../src/core/nets/architectures';
import { measureArchitecture, type MeasureRecord } from '../browser/train-measure';
import { DAWN_FLAGS, DAWN_NODE_PATH } from './dawn-globals';

const { values: args } = parseArgs({
  options: {
    archs: { type: 'string', default: 'seed,compact' },
    batch: { type: 'string', default: '64' },
    'budget-s': { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];

/** What the Vulkan side looks like, for the error message when no adapter comes back. */
function vulkanDiagnosis(): string {
  let loader = 'libvulkan.so.1: not in ldconfig';
  try {
    const cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
    const line = cache.split('\n').find((l) => l.includes('libvulkan.so.1'));
    if (line) loader = `libvulkan.so.1: ${line.trim()}`;
  } catch {
    loader = 'libvulkan.so.1: ldconfig failed';
  }
  const icds = ICD_DIRS.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((f) => `${dir}/${f}`) : []));
  const env = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'].map((k) => `${k}=${process.env[k] ?? ''}`).join(' ');
  return `${loader}; ICD files: ${icds.join(', ') || 'none'}; ${env}`;
}

async function main() {
  const started = performance.now();
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    console.error(`FAIL: no WebGPU adapter from Dawn (${DAWN_NODE_PATH}, flags [${DAWN_FLAGS.join(', ')}]). ${vulkanDiagnosis()}`);
    process.exit(2);
  }
  const info = adapter.info;
  const device = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.replace(/\s+/g, ' ').trim();
  console.error(`adapter: ${device}${info.isFallbackAdapter ? ' (fallback adapter)' : ''} after ${(performance.now() - started).toFixed(0)} ms`);
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  const records: MeasureRecord[] = [];
  for (const arch of args.archs!.split(',') as ArchitectureName[]) {
    console.error(`training ${arch}...`);
    records.push(
      await measureArchitecture({
        arch,
        batch: Number(args.batch),
        warmupBatches: 3,
        minBatches: 5,
        maxBatches: 30,
        budgetMs: Number(args['budget-s']) * 1000,
        slowStepMs: 60_000,
        profile: false,
      }),
    );
  }
  console.log(`\nWebGPU (Dawn in Node) on ${device}, batch ${args.batch}, tfjs ${tf.version.tfjs}\n`);
  console.log('| arch | train img/s | infer img/s | train GFLOP/s | infer GFLOP/s | tensors before → after | final loss |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of records)
    console.log(
      `| ${r.arch} | ${r.trainImgPerSec.toFixed(1)} | ${r.inferImgPerSec.toFixed(1)} | ${r.trainGflopPerSec.toFixed(1)} | ${r.inferGflopPerSec.toFixed(1)} | ` +
        `${r.tensorsBefore} → ${r.tensorsAfter} | ${r.finalLoss.toFixed(4)} |`,
    );
  const json = JSON.stringify({ device, dawnFlags: DAWN_FLAGS, records }, null, 2);
  if (args.out) writeFileSync(args.out, json);
  else console.log(json);
}

main().then(
  () => process.exit(0), // Dawn keeps handles open; exit explicitly
  (err: unknown) => {
    console.error(`FAIL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
