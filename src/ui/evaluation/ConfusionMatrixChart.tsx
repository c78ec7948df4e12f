// Runs on the page: a confusion matrix drawn with tfjs-vis (class names on both axes), as counts or
// row-normalised, with the same numbers in a table underneath for screen readers and tests.
import { useEffect, useRef } from 'react';
import type { ConfusionMatrix } from '../../core/evaluation/metrics';
import { rowNormalize } from '../../core/evaluation/metrics';
import { loadTfvis } from '../charts/tfvis';

interface ConfusionMatrixChartProps {
  matrix: ConfusionMatrix;
  labels: readonly string[];
  /** Show each row as fractions of its true class (recall on the diagonal) instead of counts. */
  normalized: boolean;
  title: string;
  testId: string;
  /** Chart size in CSS pixels (explicit, so a chart drawn on a hidden tab still has a size). */
  size?: number;
}

export function ConfusionMatrixChart({ matrix, labels, normalized, title, testId, size = 380 }: ConfusionMatrixChartProps) {
  const container = useRef<HTMLDivElement>(null);
  // Two decimals: vega prints the numbers as given, and 0.4523809523809524 fills a cell.
  const values = normalized ? rowNormalize(matrix).map((row) => row.map((v) => Math.round(v * 100) / 100)) : matrix;
  // Redraw only when the numbers or names change (metadata re-read from IndexedDB gives new, equal arrays).
  const key = JSON.stringify(values);
  const names = labels.join('\n');
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const drawn = JSON.parse(key) as number[][];
    loadTfvis()
      .then((tfvis) =>
        tfvis.render.confusionMatrix(
          element,
          { values: drawn, tickLabels: names.split('\n') },
          { shadeDiagonal: true, showTextOverlay: true, width: size, height: size, xLabel: 'predicted', yLabel: 'true class' },
        ),
      )
      .then(() => {
        element.dataset.rendered = 'true';
      })
      .catch((error: unknown) => console.error(`could not draw ${title}`, error));
  }, [key, names, size, title]);
  return (
    <figure className="chart confusion-chart">
      <figcaption>{title}</figcaption>
      <div ref={container} data-testid={testId} className="confusion-body" style={{ minHeight: size }} />
      <details className="matrix-table-details">
        <summary>As a table</summary>
        <table className="matrix-table" data-testid={`${testId}-table`}>
          <thead>
            <tr>
              <th scope="col">true \ predicted</th>
              {labels.map((label) => (
                <th key={label} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {values.map((row, t) => (
              <tr key={labels[t]}>
                <th scope="row">{labels[t]}</th>
                {row.map((value, p) => (
                  <td key={labels[p]} data-cell={`${t},${p}`} className={t === p ? 'diagonal' : undefined}>
                    {normalized ? value.toFixed(2) : value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
