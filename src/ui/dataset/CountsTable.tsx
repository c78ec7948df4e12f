// Runs on the page: rows per class and split, with totals.
import type { LabelSet } from '../../core/labels/label-set';
import { formatInt } from '../common/format';
import { SPLIT_KEYS, type SplitCounts, type SplitHeaders, type SplitKey } from './split-keys';

export function CountsTable({ counts, headers, labelSet }: { counts: SplitCounts; headers: SplitHeaders; labelSet: LabelSet }) {
  const total = (k: number) => SPLIT_KEYS.reduce((sum, key) => sum + counts[key][k], 0);
  const splitTotal = (key: SplitKey) => counts[key].reduce((a, b) => a + b, 0);
  return (
    <table className="counts-table" data-testid="counts-table">
      <thead>
        <tr>
          <th>Class</th>
          {SPLIT_KEYS.map((key) => (
            <th key={key}>{headers[key]}</th>
          ))}
          <th>All</th>
        </tr>
      </thead>
      <tbody>
        {labelSet.names.map((emotion, k) => (
          <tr key={emotion}>
            <th scope="row">
              {k} {emotion}
            </th>
            {SPLIT_KEYS.map((key) => (
              <td key={key} data-testid={`count-${key}-${emotion}`}>
                {formatInt(counts[key][k])}
              </td>
            ))}
            <td data-testid={`count-all-${emotion}`}>{formatInt(total(k))}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          {SPLIT_KEYS.map((key) => (
            <td key={key} data-testid={`count-${key}-total`}>
              {formatInt(splitTotal(key))}
            </td>
          ))}
          <td data-testid="count-all-total">{formatInt(SPLIT_KEYS.reduce((sum, key) => sum + splitTotal(key), 0))}</td>
        </tr>
      </tfoot>
    </table>
  );
}
