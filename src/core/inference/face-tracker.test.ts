import { describe, expect, it } from 'vitest';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { FaceTracker, trackRecordsCsv } from './face-tracker';

const probs = (top: number, p = 0.7) => Float32Array.from({ length: 7 }, (_, c) => (c === top ? p : (1 - p) / 6));
const at = (x: number, y = 10) => ({ x, y, width: 100, height: 100 });

describe('FaceTracker', () => {
  it('keeps each face\u2019s number while it moves, whatever order the detector lists faces in', () => {
    const tracker = new FaceTracker({ window: 1 });
    expect(tracker.update([{ box: at(0), probs: probs(3) }, { box: at(300), probs: probs(0) }], 0).map((f) => f.id)).toEqual([1, 2]);
    // Both moved a little, and come in the other order.
    expect(tracker.update([{ box: at(310), probs: probs(0) }, { box: at(12), probs: probs(3) }], 40).map((f) => f.id)).toEqual([2, 1]);
    // A third face appears: a new number.
    expect(tracker.update([{ box: at(20), probs: probs(3) }, { box: at(600), probs: probs(5) }], 80).map((f) => f.id)).toEqual([1, 3]);
  });

  it('forgets a face gone for longer than maxMissed frames; it comes back with a new number', () => {
    const tracker = new FaceTracker({ window: 1, maxMissed: 2 });
    tracker.update([{ box: at(0), probs: probs(1) }], 0);
    tracker.update([], 1);
    tracker.update([], 2);
    expect(tracker.update([{ box: at(0), probs: probs(1) }], 3)[0].id).toBe(1); // missed 2: still followed
    tracker.update([], 4);
    tracker.update([], 5);
    tracker.update([], 6);
    expect(tracker.update([{ box: at(0), probs: probs(1) }], 7)[0].id).toBe(2);
  });

  it('smooths over the chosen window: one odd frame does not flip the label', () => {
    const tracker = new FaceTracker({ window: 3 });
    tracker.update([{ box: at(0), probs: probs(3) }], 0);
    tracker.update([{ box: at(0), probs: probs(3) }], 1);
    const odd = tracker.update([{ box: at(0), probs: probs(4, 0.9) }], 2)[0];
    expect(odd.top).toBe(3);
    expect(odd.smoothed[4]).toBeCloseTo((0.05 + 0.05 + 0.9) / 3, 5);
    // The window slides: two more frames of 4 and it wins.
    tracker.update([{ box: at(0), probs: probs(4, 0.9) }], 3);
    expect(tracker.update([{ box: at(0), probs: probs(4, 0.9) }], 4)[0].top).toBe(4);
    expect(tracker.timeline(1).map((point) => point.timeMs)).toEqual([0, 1, 2, 3, 4]);
  });

  it('writes the session as CSV, raw and smoothed', () => {
    const tracker = new FaceTracker({ window: 2 });
    tracker.update([{ box: at(0), probs: probs(3) }], 0);
    tracker.update([{ box: at(2), probs: probs(3) }], 1500);
    const lines = trackRecordsCsv(tracker.records, FER2013_EMOTIONS).trimEnd().split('\n');
    expect(lines[0]).toBe('time_s,face,x,y,width,height,class,angry,disgust,fear,happy,sad,surprise,neutral,angry_smoothed,disgust_smoothed,fear_smoothed,happy_smoothed,sad_smoothed,surprise_smoothed,neutral_smoothed');
    expect(lines[2].startsWith('1.500,1,2,10,100,100,Happy,0.0500,')).toBe(true);
    expect(lines).toHaveLength(3);
  });
});
