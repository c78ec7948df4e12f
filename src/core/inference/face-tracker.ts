// Pure: keeps the same number for each face from frame to frame (webcam, video), smooths its probabilities
// over a short window, and records its timeline; and the session as CSV. No DOM.
import { iou } from '../face-crop/boxes';
import type { Box } from '../face-crop/types';
import { csvField } from './face-table';

export interface TrackerOptions {
  /** Frames averaged for the smoothed probabilities (1 = no smoothing). */
  window: number;
  /** A face unseen for more frames than this is gone; if it comes back it gets a new number. */
  maxMissed?: number;
  /** Least overlap (intersection over union) with a face of the last frame to count as the same face. */
  minIou?: number;
}

export interface TrackedFace {
  /** 1, 2, 3… in order of first appearance; never reused. */
  id: number;
  box: Box;
  /** This frame's probabilities, and their mean over the last `window` frames of this face. */
  probs: Float32Array;
  smoothed: Float32Array;
  /** Index of the largest smoothed probability. */
  top: number;
}

/** One analysed frame of one face: what the session CSV and the timelines hold. */
export interface TrackRecord {
  timeMs: number;
  face: number;
  box: Box;
  probs: Float32Array;
  smoothed: Float32Array;
}

interface Track {
  id: number;
  box: Box;
  missed: number;
  recent: Float32Array[];
}

const argMax = (values: Float32Array) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private window: number;
  private readonly maxMissed: number;
  private readonly minIou: number;
  /** Every face of every frame so far, in order. */
  readonly records: TrackRecord[] = [];

  constructor({ window, maxMissed = 5, minIou = 0.3 }: TrackerOptions) {
    this.window = Math.max(1, Math.round(window));
    this.maxMissed = maxMissed;
    this.minIou = minIou;
  }

  /** Changes the smoothing window from the next frame on. */
  setWindow(frames: number): void {
    this.window = Math.max(1, Math.round(frames));
  }

  /**
   * Matches this frame's faces to the faces being followed (the pairs of largest overlap first), starts new ones
   * for the rest, and returns them in the frame's order with their numbers and smoothed probabilities.
   */
  update(faces: readonly { box: Box; probs: Float32Array }[], timeMs: number): TrackedFace[] {
    const pairs: { face: number; track: number; overlap: number }[] = [];
    faces.forEach((face, f) =>
      this.tracks.forEach((track, t) => {
        const overlap = iou(face.box, track.box);
        if (overlap >= this.minIou) pairs.push({ face: f, track: t, overlap });
      }),
    );
    pairs.sort((a, b) => b.overlap - a.overlap);
    const trackOf = new Array<Track | null>(faces.length).fill(null);
    const taken = new Set<number>();
    for (const pair of pairs) {
      if (trackOf[pair.face] || taken.has(pair.track)) continue;
      trackOf[pair.face] = this.tracks[pair.track];
      taken.add(pair.track);
    }
    this.tracks.forEach((track, t) => {
      if (!taken.has(t)) track.missed++;
    });
    this.tracks = this.tracks.filter((track) => track.missed <= this.maxMissed);
    return faces.map((face, f) => {
      let track = trackOf[f];
      if (!track) {
        track = { id: this.nextId++, box: face.box, missed: 0, recent: [] };
        this.tracks.push(track);
      }
      track.box = face.box;
      track.missed = 0;
      track.recent.push(face.probs);
      while (track.recent.length > this.window) track.recent.shift();
      const smoothed = new Float32Array(face.probs.length);
      for (const probs of track.recent) for (let c = 0; c < smoothed.length; c++) smoothed[c] += probs[c] / track.recent.length;
      this.records.push({ timeMs, face: track.id, box: face.box, probs: face.probs, smoothed });
      return { id: track.id, box: face.box, probs: face.probs, smoothed, top: argMax(smoothed) };
    });
  }

  /** One face's smoothed probabilities over time (for its timeline chart). */
  timeline(face: number): { timeMs: number; probs: Float32Array }[] {
    return this.records.filter((record) => record.face === face).map((record) => ({ timeMs: record.timeMs, probs: record.smoothed }));
  }
}

/** The session as CSV: one line per face per analysed frame, its raw and smoothed probabilities. */
export function trackRecordsCsv(records: readonly TrackRecord[], labels: readonly string[]): string {
  const names = labels.map((label) => label.toLowerCase());
  const header = ['time_s', 'face', 'x', 'y', 'width', 'height', 'class', ...names, ...names.map((name) => `${name}_smoothed`)];
  const lines = records.map((record) =>
    [
      (record.timeMs / 1000).toFixed(3),
      record.face,
      ...[record.box.x, record.box.y, record.box.width, record.box.height].map((v) => Math.round(v)),
      labels[argMax(record.smoothed)],
      ...Array.from(record.probs, (p) => p.toFixed(4)),
      ...Array.from(record.smoothed, (p) => p.toFixed(4)),
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}
