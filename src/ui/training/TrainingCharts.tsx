// Runs on the page: live loss/accuracy charts with tfjs-vis — per batch, and train vs validation per epoch.
import { useEffect, useRef } from 'react';
import type { EpochMetrics } from '../../core/model/training-loop';
import type { BatchPoint } from '../../storage/run-record';
import { loadTfvis } from '../charts/tfvis';

/**
 * Charts redraw at most this often. tfjs-vis builds a new vega view per render: with a 2,000-point curve that
 * costs the page's main thread real time, which on a 2-core machine the training worker needs.
 */
const REDRAW_MS = 2000;
/** Most points drawn per series; a ~450 px wide chart shows no more detail than this. */
const MAX_DRAWN_POINTS = 400;

/** Every k-th point (always the last), so a long curve draws at most `max` points. */
function thinForDrawing(points: Point[], max = MAX_DRAWN_POINTS): Point[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]);
  return kept;
}

interface Point {
  x: number;
  y: number;
}

function CurveChart({ series, title, emptyText, yLabel, xLabel, testId, zeroBased, xMax }: {
  series: { name: string; points: Point[] }[];
  title: string;
  /** Shown until the first point arrives. */
  emptyText: string;
  yLabel: string;
  xLabel: string;
  testId: string;
  zeroBased?: boolean;
  /** Right end of the x axis (e.g. the planned epochs), so the curve grows into a fixed frame. */
  xMax?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const lastDraw = useRef(0);
  const drawnSignature = useRef('');
  const timer = useRef<number | null>(null);
  // A pending redraw must draw the newest data, not the data of the render that scheduled it.
  const latest = useRef(series);
  useEffect(() => {
    latest.current = series;
    const draw = () => {
      timer.current = null;
      const element = container.current;
      const drawable = latest.current.filter((s) => s.points.length > 0).map((s) => ({ ...s, points: thinForDrawing(s.points) }));
      // Nothing to draw, the screen is hidden (switching tabs re-renders, which draws), or nothing changed.
      if (!element || drawable.length === 0 || element.offsetParent === null) return;
      const signature = JSON.stringify(drawable.map((s) => [s.points.length, s.points[s.points.length - 1]]));
      if (signature === drawnSignature.current) return;
      drawnSignature.current = signature;
      lastDraw.current = performance.now();
      const data = { values: drawable.map((s) => s.points), series: drawable.map((s) => s.name) };
      const lastX = Math.max(...drawable.flatMap((s) => s.points.map((p) => p.x)));
      const options = {
        xLabel,
        yLabel,
        height: 220,
        width: element.clientWidth || 420,
        yAxisDomain: zeroBased ? ([0, 1] as [number, number]) : ([0, Math.max(...drawable.flatMap((s) => s.points.map((p) => p.y)), 0.1)] as [number, number]),
        xAxisDomain: [1, Math.max(2, xMax ?? lastX, lastX)] as [number, number],
      };
      // tfjs-vis 1.5's linechart ignores the x values (it plots by index and assumes equal-length series),
      // which would mislabel thinned batch curves and resumed runs; its scatterplot uses them as given.
      void loadTfvis().then((tfvis) => tfvis.render.scatterplot(element, data, options));
      element.dataset.points = String(latest.current.reduce((n, s) => n + s.points.length, 0));
    };
    const wait = REDRAW_MS - (performance.now() - lastDraw.current);
    if (wait <= 0) draw();
    else if (timer.current === null) timer.current = window.setTimeout(draw, wait);
  }, [series, xLabel, yLabel, zeroBased, xMax]);
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {series.every((s) => s.points.length === 0) && <p className="muted chart-empty">{emptyText}</p>}
      <div ref={container} data-testid={testId} className="chart-body" />
    </figure>
  );
}

export function TrainingCharts({ batches, epochs, plannedEpochs }: { batches: BatchPoint[]; epochs: EpochMetrics[]; plannedEpochs: number }) {
  const batchLoss = [{ name: 'loss', points: batches.map((b) => ({ x: b.step, y: b.loss })) }];
  const batchAccuracy = [{ name: 'accuracy', points: batches.map((b) => ({ x: b.step, y: b.accuracy })) }];
  const epochLoss = [
    { name: 'train', points: epochs.map((m) => ({ x: m.epoch, y: m.loss })) },
    { name: 'validation', points: epochs.filter((m) => Number.isFinite(m.valLoss)).map((m) => ({ x: m.epoch, y: m.valLoss })) },
  ];
  const epochAccuracy = [
    { name: 'train', points: epochs.map((m) => ({ x: m.epoch, y: m.accuracy })) },
    { name: 'validation', points: epochs.filter((m) => Number.isFinite(m.valAccuracy)).map((m) => ({ x: m.epoch, y: m.valAccuracy })) },
  ];
  return (
    <div className="charts">
      <CurveChart series={batchLoss} title="Loss per batch" emptyText="Appears with the first batch." xLabel="batch" yLabel="loss" testId="chart-batch-loss" />
      <CurveChart series={batchAccuracy} title="Accuracy per batch" emptyText="Appears with the first batch." xLabel="batch" yLabel="accuracy" testId="chart-batch-accuracy" zeroBased />
      <CurveChart series={epochLoss} title="Loss per epoch: train vs validation" emptyText="Appears when the first epoch ends." xLabel="epoch" yLabel="loss" testId="chart-epoch-loss" xMax={plannedEpochs} />
      <CurveChart series={epochAccuracy} title="Accuracy per epoch: train vs validation" emptyText="Appears when the first epoch ends." xLabel="epoch" yLabel="accuracy" testId="chart-epoch-accuracy" zeroBased xMax={plannedEpochs} />
    </div>
  );
}
