import { describe, expect, it } from 'vitest';
import { DetectionSchedule } from './detection-schedule';

const box = (x: number) => ({ x, y: 0, width: 10, height: 10 });

describe('DetectionSchedule', () => {
  it('detects every n-th frame and classifies the last detected boxes in between', () => {
    const schedule = new DetectionSchedule(3);
    expect(schedule.next()).toBeUndefined(); // frame 0: detect
    schedule.result(true, [{ box: box(5) }]);
    expect(schedule.next()).toEqual([box(5)]);
    schedule.result(false, [{ box: box(5) }]);
    expect(schedule.next()).toEqual([box(5)]);
    expect(schedule.next()).toBeUndefined(); // frame 3: detect again
    schedule.result(true, [{ box: box(7) }, { box: box(40) }]);
    expect(schedule.next()).toEqual([box(7), box(40)]);
  });

  it('keeps detecting while no face is followed', () => {
    const schedule = new DetectionSchedule(4);
    expect(schedule.next()).toBeUndefined();
    schedule.result(true, []);
    expect(schedule.next()).toBeUndefined();
    expect(schedule.next()).toBeUndefined();
  });

  it('every 1 detects on every frame', () => {
    const schedule = new DetectionSchedule(1);
    schedule.result(true, [{ box: box(1) }]);
    expect([schedule.next(), schedule.next()]).toEqual([undefined, undefined]);
  });
});
