// WebGPU through Dawn in Node (the `webgpu` package, as bench/gpu uses it) against the CPU backend: the app's nets,
// a few training steps each (src/core/testing/backend-agreement.ts). Dawn needs a Vulkan driver; on machines
// without a GPU that is SwiftShader, which Debian's Chromium ships (with a Vulkan loader) in /usr/lib/chromium.
// The run is a child process because the loader is found through LD_LIBRARY_PATH, read when a process starts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DawnAgreementReport } from './dawn-agreement-run';

/** Where SwiftShader's Vulkan driver and a Vulkan loader are: $SWIFTSHADER_VULKAN_DIR, else Debian Chromium's. */
const VULKAN_DIR = process.env.SWIFTSHADER_VULKAN_DIR ?? '/usr/lib/chromium';
const ICD = `${VULKAN_DIR}/vk_swiftshader_icd.json`;
const missing = [ICD, `${VULKAN_DIR}/libvulkan.so.1`, 'node_modules/webgpu/dist/linux-x64/dawn.node'].filter((path) => !existsSync(path));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dawn-agreement-run.ts', ...args], {
      env: { ...process.env, LD_LIBRARY_PATH: [VULKAN_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), VK_ICD_FILENAMES: ICD },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('WebGPU through Dawn in Node (SwiftShader)', () => {
  // Chromium (and so SwiftShader) is installed before the tests in CI (.ci/run); elsewhere this says what is missing.
  it.skipIf(missing.length > 0)(`trains each net as the CPU backend does${missing.length > 0 ? ` (skipped: no ${missing.join(', ')})` : ''}`, async () => {
    const started = performance.now();
    const { code, stdout, stderr } = await run([]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as DawnAgreementReport;
    expect(report.adapter).toMatch(/swiftshader/i);
    expect(report.deviceErrors, 'errors the WebGPU device raised').toEqual([]);
    expect(report.comparisons.map((c) => c.arch)).toEqual(['compact', 'mini-xception', 'vgg-s', 'vgg-m']);
    for (const c of report.comparisons) {
      console.log(
        `${c.arch} on Dawn's ${c.backend}: losses ${c.lossRelative.map((e) => e.toExponential(1)).join(', ')}; first gradient ${c.worstFirstGradient.relative.toExponential(1)}; ` +
          `weights ${c.worstWeight.relative.toExponential(1)}; optimizer ${c.worstOptimizer.relative.toExponential(1)}; steps ${c.stepMs.join(', ')} ms (CPU ${report.refStepMs[c.arch].join(', ')})`,
      );
      expect(c.failures, `${c.arch} on Dawn's WebGPU against the CPU`).toEqual([]);
    }
    console.log(`${report.adapter}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);
});
