import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { recipeConfig, findRecipe } from '../../core/training/recipes';
import { defaultTrainConfig } from '../../core/training/train-config';
import type { RunSummary } from '../../storage/run-record';
import { ResumeBanner } from './ResumeBanner';

afterEach(cleanup);

const run = (overrides: Partial<RunSummary>): RunSummary => ({
  runId: 'r',
  status: 'unfinished',
  createdAt: '2026-12-01T08:00:00Z',
  updatedAt: '2026-12-01T08:05:00Z',
  config: { ...defaultTrainConfig('compact'), epochs: 3 },
  dataset: { name: 'fer2013.csv', fingerprint: 'fp', rows: 10, synthetic: false },
  stats: { mean: new Float32Array(0), std: new Float32Array(0), rows: 0 },
  backend: 'wasm',
  batchHistory: [],
  elapsedMs: 65_000,
  checkpointEpoch: 2,
  ...overrides,
});
const noop = () => {};

describe('ResumeBanner', () => {
  it('offers to resume from the epoch after the last checkpoint', () => {
    render(<ResumeBanner run={run({})} dataset={null} onResume={noop} onDiscard={noop} />);
    expect(screen.getByTestId('resume-banner').textContent).toContain('Resume run compact on fer2013.csv from epoch 3 (of 3 epochs)?');
    expect(screen.getByRole('button', { name: 'Resume from epoch 3' })).toBeTruthy();
  });

  it('a run without a checkpoint is offered as a fresh start, not as "epoch 1 after 0 ms"', () => {
    render(<ResumeBanner run={run({ checkpointEpoch: 0, elapsedMs: 0 })} dataset={null} onResume={noop} onDiscard={noop} />);
    const text = screen.getByTestId('resume-banner').textContent!;
    expect(text).toContain('stopped before its first epoch ended. Start it again?');
    expect(text).toContain('no checkpoint was stored');
    expect(text).not.toContain('0 ms');
    expect(screen.getByRole('button', { name: 'Start again' })).toBeTruthy();
  });

  it('a time-budgeted run names its budget, not its epoch bound', () => {
    const config = recipeConfig(findRecipe('quick')!);
    render(<ResumeBanner run={run({ config })} dataset={null} onResume={noop} onDiscard={noop} />);
    expect(screen.getByTestId('resume-banner').textContent).toContain('from epoch 3 (of a 15 min budget)');
  });
});

describe('ResumeBanner for a run another tab trains', () => {
  it('says so and offers neither resume nor discard', () => {
    render(<ResumeBanner run={run({})} trainingElsewhere dataset={null} onResume={noop} onDiscard={noop} />);
    expect(screen.getByTestId('resume-banner').textContent).toContain('is being trained in another tab of this app');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});
