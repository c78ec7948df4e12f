import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StallNotice } from './StallNotice';
import { initialTrainingRunState, reduceTrainingRun, silentMs, STALL_NOTICE_MS, type TrainingRunState } from './training-run-state';

afterEach(cleanup);

/** A run begun at t=0 whose worker last said something (a checkpoint of epoch 26) at t=1000. */
function runHeardAt(extra: Partial<TrainingRunState> = {}): TrainingRunState {
  const begun = reduceTrainingRun(initialTrainingRunState, { type: 'begin', runId: 'r', config: null, now: 0 });
  return { ...reduceTrainingRun(begun, { type: 'checkpoint', runId: 'r', epoch: 26, now: 1000 }), ...extra };
}

describe('silentMs', () => {
  it('counts from the last event of this run, not from events of other runs, and not while paused or over', () => {
    const state = runHeardAt();
    expect(silentMs(state, 61_000)).toBe(60_000);
    const other = reduceTrainingRun(state, { type: 'checkpoint', runId: 'another', epoch: 1, now: 50_000 });
    expect(silentMs(other, 61_000)).toBe(60_000);
    expect(silentMs(reduceTrainingRun(state, { type: 'paused', runId: 'r', now: 2000 }), 600_000)).toBe(0);
    expect(silentMs({ ...state, status: 'done' }, 600_000)).toBe(0);
  });
});

describe('StallNotice', () => {
  it('stays hidden for a run heard from within the limit', () => {
    render(<StallNotice state={runHeardAt()} now={1000 + STALL_NOTICE_MS - 1} onEndWorker={() => undefined} />);
    expect(screen.queryByTestId('stall-notice')).toBeNull();
  });

  it('past the limit, says how long, what ending the worker keeps, and ends it on request', () => {
    const ended: number[] = [];
    render(<StallNotice state={runHeardAt()} now={1000 + 200_000} onEndWorker={(silent) => ended.push(silent)} />);
    const notice = screen.getByTestId('stall-notice');
    expect(notice.textContent).toContain('No training batch has finished for 3 min 20 s.');
    expect(notice.textContent).toContain("keeps the run's checkpoint of epoch 26");
    fireEvent.click(screen.getByRole('button', { name: 'End the worker now' }));
    expect(ended).toEqual([200_000]);
  });

  it('before the first checkpoint, says nothing can be resumed', () => {
    render(<StallNotice state={runHeardAt({ lastCheckpointEpoch: 0 })} now={1000 + STALL_NOTICE_MS} onEndWorker={() => undefined} />);
    expect(screen.getByTestId('stall-notice').textContent).toContain('leaves nothing to resume');
  });
});
