// Pure: which webcam frames run the face detector. Detection is most of a frame's time, and faces move little
// between frames: the detector runs on every `every`-th frame (and whenever nothing is being followed), and the
// frames between classify the boxes it found last. No DOM.
import type { Box } from '../face-crop/types';

export class DetectionSchedule {
  private sent = 0;
  private boxes: Box[] = [];
  private readonly every: number;

  /** @param every 1 = detect on every frame. */
  constructor(every: number) {
    this.every = Math.max(1, Math.round(every));
  }

  /** For the next frame: undefined to run the detector, or the boxes to classify instead. */
  next(): Box[] | undefined {
    const detect = this.sent % this.every === 0 || this.boxes.length === 0;
    this.sent++;
    return detect ? undefined : this.boxes.map((box) => ({ ...box }));
  }

  /** A frame's result: boxes the detector found are the ones followed until the next detection. */
  result(detected: boolean, faces: readonly { box: Box }[]): void {
    if (detected) this.boxes = faces.map((face) => ({ ...face.box }));
  }
}
