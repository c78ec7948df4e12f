// Runs on the page: frames per second over a sliding window (pure, tested without a DOM).

/** Window over which the rate is averaged, in ms: long enough to be steady, short enough to follow changes. */
export const FRAME_RATE_WINDOW_MS = 2000;

export class FrameRateMeter {
  private readonly times: number[] = [];

  /** Records a finished frame at `nowMs` and returns the current rate in frames per second. */
  tick(nowMs: number): number {
    this.times.push(nowMs);
    while (this.times.length > 0 && this.times[0] < nowMs - FRAME_RATE_WINDOW_MS) this.times.shift();
    return this.rate();
  }

  /** Frames per second: intervals between the frames in the window over their time span (0 with < 2 frames). */
  rate(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    const spanMs = this.times[n - 1] - this.times[0];
    return spanMs > 0 ? ((n - 1) * 1000) / spanMs : 0;
  }

  reset(): void {
    this.times.length = 0;
  }
}
