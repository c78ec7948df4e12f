import { describe, expect, it } from 'vitest';
import { chooseBackend, type BackendName, type BackendTrial } from './backend-choice';

/** A fake machine: which backends probe usable, which fail to start, and a log of what was started. */
function machine(offers: Partial<Record<BackendName, string | null>>, failsToStart: BackendName[] = []) {
  const started: BackendName[] = [];
  const trial: BackendTrial = {
    probe: async (backend) => ({ skipReason: offers[backend] ?? null, device: `${backend} device` }),
    start: async (backend) => {
      started.push(backend);
      if (failsToStart.includes(backend)) throw new Error('context lost');
    },
    describe: (_backend, device) => device,
  };
  return { trial, started };
}

const ok = async () => {};

describe('chooseBackend', () => {
  it('takes WebGPU first when it works', async () => {
    const { trial } = machine({});
    expect(await chooseBackend('auto', ok, trial)).toMatchObject({ backend: 'webgpu', reason: 'webgpu is the fastest backend available here' });
  });

  it('follows another order when given one (inference: WASM, then WebGL, then CPU), the preferred still first', async () => {
    const inference: BackendName[] = ['wasm', 'webgl', 'cpu'];
    const first = machine({}, ['wasm']);
    expect((await chooseBackend('auto', ok, first.trial, inference)).backend).toBe('webgl');
    expect(first.started).toEqual(['wasm', 'webgl']);
    const preferred = machine({});
    expect((await chooseBackend('cpu', ok, preferred.trial, inference)).backend).toBe('cpu');
  });

  it('skips what the probe rules out and says why', async () => {
    const { trial, started } = machine({ webgpu: 'no WebGPU adapter', webgl: 'only a software renderer' });
    const info = await chooseBackend('auto', ok, trial);
    expect(info.backend).toBe('wasm');
    expect(started).toEqual(['wasm']);
    expect(info.reason).toBe('wasm is the first that works: webgpu: no WebGPU adapter; webgl: only a software renderer');
  });

  it('falls back to the next backend when one fails to start', async () => {
    const { trial } = machine({}, ['webgpu']);
    const info = await chooseBackend('auto', ok, trial);
    expect(info.backend).toBe('webgl');
    expect(info.attempts[0]).toEqual({ backend: 'webgpu', ok: false, detail: 'failed: context lost' });
  });

  it('falls back when the first training step fails on a backend', async () => {
    const { trial } = machine({});
    let calls = 0;
    const smokeTest = async () => {
      if (calls++ === 0) throw new Error('shader compile failed');
    };
    const info = await chooseBackend('auto', smokeTest, trial);
    expect(info.backend).toBe('webgl');
    expect(info.reason).toContain('webgpu: failed: shader compile failed');
  });

  it('tries the user’s choice first, then the rest in order', async () => {
    const { trial, started } = machine({}, ['cpu']);
    const info = await chooseBackend('cpu', ok, trial);
    expect(started).toEqual(['cpu', 'webgpu']);
    expect(info.backend).toBe('webgpu');
    expect(await chooseBackend('wasm', ok, machine({}).trial)).toMatchObject({ backend: 'wasm', reason: 'you chose wasm' });
  });

  it('says what was tried when nothing works', async () => {
    const { trial } = machine({ webgpu: 'none', webgl: 'none' }, ['wasm', 'cpu']);
    await expect(chooseBackend('auto', ok, trial)).rejects.toThrow('no tfjs backend works here: webgpu: none; webgl: none; wasm: failed: context lost; cpu: failed: context lost');
  });
});
