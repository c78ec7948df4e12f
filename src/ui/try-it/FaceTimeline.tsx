// Runs on the page: one face's (smoothed) probabilities over time, one line per class in the classes' colours.
import { lineChartSvg } from '../charts/line-chart-svg';

interface FaceTimelineProps {
  face: number;
  points: readonly { timeMs: number; probs: Float32Array }[];
  labels: readonly string[];
  /** One CSS colour per class (classifierColors). */
  colors: readonly string[];
  /** The time axis runs from 0 to at least this many seconds. */
  minSeconds?: number;
}

export function FaceTimeline({ face, points, labels, colors, minSeconds = 10 }: FaceTimelineProps) {
  const end = Math.max(minSeconds, (points.at(-1)?.timeMs ?? 0) / 1000);
  const svg = lineChartSvg(
    labels.map((label, c) => ({ name: label, color: colors[c], points: points.map((point) => ({ x: point.timeMs / 1000, y: point.probs[c] })) })),
    { width: 640, height: 170, xLabel: 'seconds', yLabel: `face ${face}`, xDomain: [0, end], yDomain: [0, 1] },
  );
  // The SVG is our own markup from numbers and the model's label strings (escaped by lineChartSvg).
  return <div className="face-timeline" data-testid="face-timeline" data-face={face} data-points={points.length} dangerouslySetInnerHTML={{ __html: svg }} />;
}
