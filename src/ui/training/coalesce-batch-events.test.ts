import { describe, expect, it } from 'vitest';
import { coalesceBatchEvents, type Timers } from './coalesce-batch-events';

/** Timers run by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    set: (callback) => (pending.set(++next, callback), next),
    clear: (handle) => pending.delete(handle as number),
  };
  const fire = () => [...pending.entries()].forEach(([id, callback]) => (pending.delete(id), callback()));
  return { timers, fire, count: () => pending.size };
}

type Event = { type: string; n: number };

describe('coalesceBatchEvents', () => {
  it('holds batch events until the interval ends and delivers them in one call, in order', () => {
    const { timers, fire, count } = manualTimers();
    const calls: Event[][] = [];
    const c = coalesceBatchEvents<Event>((events) => calls.push(events), 500, timers);
    c.push({ type: 'batch', n: 1 });
    c.push({ type: 'batch', n: 2 });
    expect(calls).toEqual([]);
    expect(count()).toBe(1);
    fire();
    expect(calls).toEqual([[{ type: 'batch', n: 1 }, { type: 'batch', n: 2 }]]);
    c.push({ type: 'batch', n: 3 });
    expect(count()).toBe(1);
  });

  it('releases held batches before any other event, so an epoch never overtakes its batches', () => {
    const { timers, count } = manualTimers();
    const calls: Event[][] = [];
    const c = coalesceBatchEvents<Event>((events) => calls.push(events), 500, timers);
    c.push({ type: 'batch', n: 1 });
    c.push({ type: 'epoch', n: 2 });
    c.push({ type: 'done', n: 3 });
    expect(calls).toEqual([[{ type: 'batch', n: 1 }], [{ type: 'epoch', n: 2 }], [{ type: 'done', n: 3 }]]);
    expect(count()).toBe(0);
  });

  it('dispose releases what is held and leaves no timer', () => {
    const { timers, count } = manualTimers();
    const calls: Event[][] = [];
    const c = coalesceBatchEvents<Event>((events) => calls.push(events), 500, timers);
    c.push({ type: 'batch', n: 1 });
    c.dispose();
    expect(calls).toEqual([[{ type: 'batch', n: 1 }]]);
    expect(count()).toBe(0);
  });
});
