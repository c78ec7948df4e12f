// Runs on the page: a line chart as SVG markup (training curves). A string, not React, so a chart can be
// redrawn on its own clock (throttled, skipped while hidden) without re-rendering the screen, and without
// building a vega view per draw as tfjs-vis does.

export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
  /** Stroke colour; by default the series' place in the list picks one. */
  color?: string;
}

export interface LineChartOptions {
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
}

/** Colours of the 1st, 2nd, … series (tfjs-vis' first two, so the charts look as before). */
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756'];
const MARGIN = { left: 44, right: 10, top: 8, bottom: 34 };

/** About `count` round tick values covering [from, to]. */
export function niceTicks(from: number, to: number, count = 5): number[] {
  const span = to - from;
  if (!(span > 0)) return [from];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for markup that reaches innerHTML, in element content or a quoted attribute (series names can be class names). */
export const escapeMarkup = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
const label = (value: number) => (Math.abs(value) >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Number(value.toPrecision(3))));

/** An SVG line chart: axes with ticks and labels, one polyline per series, a legend when there are several. */
export function lineChartSvg(series: LineSeries[], options: LineChartOptions): string {
  const { width, height } = options;
  const plotW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const plotH = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const [x0, x1] = options.xDomain;
  const [y0, y1] = options.yDomain;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0 || 1)) * plotH;
  const parts: string[] = [];
  for (const t of niceTicks(y0, y1, 4)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${MARGIN.left - 4}" y="${sy(t) + 3}" text-anchor="end" font-size="10" fill="#555">${label(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 5)) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#888"/>`);
    parts.push(`<text x="${sx(t)}" y="${MARGIN.top + plotH + 14}" text-anchor="middle" font-size="10" fill="#555">${label(t)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#bbb"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 4}" text-anchor="middle" font-size="11" fill="#333">${escapeMarkup(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(11 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#333">${escapeMarkup(options.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = escapeMarkup(s.color ?? COLORS[i % COLORS.length]);
    const points = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" data-series="${escapeMarkup(s.name)}" points="${points}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/>`);
    // A single point draws no line: mark it.
    if (s.points.length === 1) parts.push(`<circle cx="${sx(s.points[0].x)}" cy="${sy(s.points[0].y)}" r="2.5" fill="${color}"/>`);
    if (series.length > 1) {
      const lx = MARGIN.left + 8 + i * (series.length > 4 ? 70 : 90);
      parts.push(`<line x1="${lx}" x2="${lx + 14}" y1="${MARGIN.top + 10}" y2="${MARGIN.top + 10}" stroke="${color}" stroke-width="2"/>`);
      parts.push(`<text x="${lx + 18}" y="${MARGIN.top + 13}" font-size="10" fill="#333">${escapeMarkup(s.name)}</text>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeMarkup(options.yLabel)} by ${escapeMarkup(options.xLabel)}">${parts.join('')}</svg>`;
}
