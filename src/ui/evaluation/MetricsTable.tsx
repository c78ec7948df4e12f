// Runs on the page: per-class precision, recall, F1 and support, with macro and weighted averages.
import type { ClassificationReport } from '../../core/evaluation/metrics';
import { formatInt } from '../common/format';

const fixed = (value: number) => value.toFixed(3);

export function MetricsTable({ report, labels, testId }: { report: ClassificationReport; labels: readonly string[]; testId: string }) {
  return (
    <table className="counts-table metrics-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">class</th>
          <th scope="col">precision</th>
          <th scope="col">recall</th>
          <th scope="col">F1</th>
          <th scope="col">support</th>
        </tr>
      </thead>
      <tbody>
        {report.perClass.map((m, k) => (
          <tr key={labels[k]} data-testid={`${testId}-${labels[k]}`}>
            <th scope="row">{labels[k]}</th>
            <td>{fixed(m.precision)}</td>
            <td>{fixed(m.recall)}</td>
            <td>{fixed(m.f1)}</td>
            <td>{formatInt(m.support)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">accuracy</th>
          <td />
          <td />
          <td>{fixed(report.accuracy)}</td>
          <td>{formatInt(report.total)}</td>
        </tr>
        <tr data-testid={`${testId}-macro`}>
          <th scope="row">macro average</th>
          <td>{fixed(report.macro.precision)}</td>
          <td>{fixed(report.macro.recall)}</td>
          <td>{fixed(report.macro.f1)}</td>
          <td>{formatInt(report.total)}</td>
        </tr>
        <tr data-testid={`${testId}-weighted`}>
          <th scope="row">weighted average</th>
          <td>{fixed(report.weighted.precision)}</td>
          <td>{fixed(report.weighted.recall)}</td>
          <td>{fixed(report.weighted.f1)}</td>
          <td>{formatInt(report.total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
