// Runs on the page: live loss/accuracy line charts — per batch, and train vs validation per epoch — against
// batches/epochs or minutes of training.
import { useEffect, useRef, useState } from 'react';
import type { EpochMetrics } from '../../core/training/training-loop';
import type { BatchPoint } from '../../storage/run-record';
import { lineChartSvg } from '../charts/line-chart-svg';

/**
 * Charts redraw at most this often: the page's main thread competes with the training worker for the cores
 * (on a 2-core machine every redraw is time the worker does not get).
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

function CurveChart({ series, title, emptyText, yLabel, xLabel, testId, zeroBased, xMin, xMax, minSpan = 1 }: {
  series: { name: string; points: Point[] }[];
  title: string;
  /** Shown until the first point arrives. */
  emptyText: string;
  yLabel: string;
  xLabel: string;
  testId: string;
  zeroBased?: boolean;
  /** Left end of the x axis (1 for batches and epochs, 0 for minutes). */
  xMin: number;
  /** Right end of the x axis (e.g. the planned epochs or minutes), so the curve grows into a fixed frame. */
  xMax?: number;
  /** Narrowest x range drawn (a single point still gets a frame). */
  minSpan?: number;
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
      const lastX = Math.max(...drawable.flatMap((s) => s.points.map((p) => p.x)));
      const firstX = Math.min(...drawable.flatMap((s) => s.points.map((p) => p.x)));
      element.innerHTML = lineChartSvg(drawable, {
        xLabel,
        yLabel,
        height: 220,
        width: element.clientWidth || 420,
        yDomain: zeroBased ? [0, 1] : [0, Math.max(...drawable.flatMap((s) => s.points.map((p) => p.y)), 0.1)],
        xDomain: [Math.min(firstX, xMin), Math.max(xMax ?? lastX, lastX, Math.min(firstX, xMin) + minSpan)],
      });
      element.dataset.points = String(latest.current.reduce((n, s) => n + s.points.length, 0));
    };
    const wait = REDRAW_MS - (performance.now() - lastDraw.current);
    if (wait <= 0) draw();
    else if (timer.current === null) timer.current = window.setTimeout(draw, wait);
  }, [series, xLabel, yLabel, zeroBased, xMin, xMax, minSpan]);
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {series.every((s) => s.points.length === 0) && <p className="muted chart-empty">{emptyText}</p>}
      <div ref={container} data-testid={testId} className="chart-body" />
    </figure>
  );
}

const minutes = (ms: number | undefined) => (ms ?? NaN) / 60_000;

/**
 * The four training charts. x is batches and epochs, or minutes of training (`plannedMinutes` frames a
 * time-budgeted run); points stored before training time was recorded have no minutes and are left out there.
 */
export function TrainingCharts({ batches, epochs, plannedEpochs, plannedMinutes }: { batches: BatchPoint[]; epochs: EpochMetrics[]; plannedEpochs?: number; plannedMinutes: number | null }) {
  const [byTime, setByTime] = useState(plannedMinutes !== null);
  const batchX = (b: BatchPoint) => (byTime ? minutes(b.trainingMs) : b.step);
  const epochX = (m: EpochMetrics) => (byTime ? minutes(m.trainingMs) : m.epoch);
  const keep = (p: { x: number; y: number }) => Number.isFinite(p.x) && Number.isFinite(p.y);
  const curve = (name: string, points: { x: number; y: number }[]) => ({ name, points: points.filter(keep) });
  const batchLoss = [curve('loss', batches.map((b) => ({ x: batchX(b), y: b.loss })))];
  const batchAccuracy = [curve('accuracy', batches.map((b) => ({ x: batchX(b), y: b.accuracy })))];
  const epochLoss = [curve('train', epochs.map((m) => ({ x: epochX(m), y: m.loss }))), curve('validation', epochs.map((m) => ({ x: epochX(m), y: m.valLoss })))];
  const epochAccuracy = [curve('train', epochs.map((m) => ({ x: epochX(m), y: m.accuracy }))), curve('validation', epochs.map((m) => ({ x: epochX(m), y: m.valAccuracy })))];
  const frame = byTime ? { xMin: 0, xMax: plannedMinutes ?? undefined, minSpan: plannedMinutes ?? 1 } : { xMin: 1, xMax: plannedEpochs };
  return (
    <>
      <div className="chart-axis-choice" role="radiogroup" aria-label="Chart x axis">
        <span className="muted">x axis:</span>
        <label>
          <input type="radio" name="chart-x" checked={!byTime} onChange={() => setByTime(false)} /> batches and epochs
        </label>
        <label>
          <input type="radio" name="chart-x" checked={byTime} onChange={() => setByTime(true)} /> minutes of training
        </label>
      </div>
      <div className="charts">
        <CurveChart series={batchLoss} title="Loss per batch" emptyText="Appears with the first batch." xLabel={byTime ? 'minutes' : 'batch'} yLabel="loss" testId="chart-batch-loss" xMin={frame.xMin} xMax={byTime ? frame.xMax : undefined} minSpan={frame.minSpan} />
        <CurveChart series={batchAccuracy} title="Accuracy per batch" emptyText="Appears with the first batch." xLabel={byTime ? 'minutes' : 'batch'} yLabel="accuracy" testId="chart-batch-accuracy" zeroBased xMin={frame.xMin} xMax={byTime ? frame.xMax : undefined} minSpan={frame.minSpan} />
        <CurveChart series={epochLoss} title="Loss per epoch: train vs validation" emptyText="Appears when the first epoch ends." xLabel={byTime ? 'minutes' : 'epoch'} yLabel="loss" testId="chart-epoch-loss" {...frame} />
        <CurveChart series={epochAccuracy} title="Accuracy per epoch: train vs validation" emptyText="Appears when the first epoch ends." xLabel={byTime ? 'minutes' : 'epoch'} yLabel="accuracy" testId="chart-epoch-accuracy" zeroBased {...frame} />
      </div>
    </>
  );
}
