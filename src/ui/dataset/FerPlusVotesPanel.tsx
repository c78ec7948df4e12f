// Runs on the page: the Data screen's panel for a data set with crowd votes (FER+): faces kept and dropped per
// split and vote mode, the mean share of the votes per class, and sample faces with their votes.
import { useMemo } from 'react';
import type { DatasetBuffers } from '../../core/dataset/types';
import { PIXELS, USAGES } from '../../core/dataset/face-format';
import { NON_CLASS_VOTES, summariseVotes, votesText } from '../../core/ferplus/vote-summary';
import { FERPLUS_MODES, type FerPlusMode } from '../../core/ferplus/votes';
import { classColor, LABEL_NONE } from '../../core/labels/label-set';
import { GrayImage } from '../common/GrayImage';
import { formatInt, formatPercent } from '../common/format';

const MODE_TITLES: Record<FerPlusMode, string> = {
  majority: 'majority',
  crossentropy: 'cross-entropy',
  probability: 'probability',
  'multi-target': 'multi-target',
};

/** Faces shown: the first Training face of each class (by majority), then a few with no majority. */
function pickFaces(buffers: DatasetBuffers, ambiguous: number): { row: number; label: number }[] {
  const classes = buffers.labelSet.names.length;
  const columns = classes + 2;
  const first = new Array<number>(classes).fill(-1);
  const unclear: number[] = [];
  for (let row = 0; row < buffers.rows; row++) {
    if (buffers.usage[row] !== 0) continue;
    const label = buffers.labels[row];
    if (label < classes) {
      if (first[label] < 0) first[label] = row;
    } else if (label === LABEL_NONE && unclear.length < ambiguous) {
      // A face the crowd split on (its top votes are emotions, not unknown or not-a-face).
      const votes = buffers.votes!.subarray(row * columns, (row + 1) * columns);
      const emotionVotes = votes.subarray(0, classes).reduce((a, b) => a + b, 0);
      if (emotionVotes >= 8) unclear.push(row);
    }
    if (unclear.length >= ambiguous && first.every((row) => row >= 0)) break;
  }
  return [...first.flatMap((row, label) => (row >= 0 ? [{ row, label }] : [])), ...unclear.map((row) => ({ row, label: LABEL_NONE }))];
}

export function FerPlusVotesPanel({ buffers }: { buffers: DatasetBuffers }) {
  const { labelSet } = buffers;
  const votes = buffers.votes!;
  const summary = useMemo(() => summariseVotes(votes, buffers.rows, buffers.usage, labelSet.names.length), [votes, buffers.rows, buffers.usage, labelSet]);
  const faces = useMemo(() => pickFaces(buffers, 2), [buffers]);
  const all = {
    faces: summary.splits.reduce((sum, split) => sum + split.faces, 0),
    kept: Object.fromEntries(FERPLUS_MODES.map((mode) => [mode, summary.splits.reduce((sum, split) => sum + split.kept[mode], 0)])) as Record<FerPlusMode, number>,
  };
  const rows = [...summary.splits.map((split, usage) => ({ key: USAGES[usage], title: USAGES[usage], ...split })), { key: 'all', title: 'All', ...all }];
  const maxShare = Math.max(...summary.meanShare, 1e-9);
  const shareNames = [...labelSet.names, ...NON_CLASS_VOTES];
  return (
    <section className="card ferplus-panel" data-testid="ferplus-panel">
      <h3>Crowd votes (FER+)</h3>
      <p className="muted">
        Each face has crowd votes (10 in FER+). Microsoft&rsquo;s processing drops single votes, and faces whose top vote is <em>unknown</em> or{' '}
        <em>not a face</em>; each mode then keeps the faces it can give a target. Counts and balance above use the majority label. Validation and test
        are always majority-filtered, whatever mode trains.
      </p>
      <div className="ferplus-columns">
        <div>
          <h4>Faces kept (and dropped) per split and vote mode</h4>
          <table className="counts-table ferplus-kept" data-testid="ferplus-kept">
            <thead>
              <tr>
                <th>Split</th>
                <th>Faces</th>
                {FERPLUS_MODES.map((mode) => (
                  <th key={mode}>{MODE_TITLES[mode]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.title}</th>
                  <td data-testid={`ferplus-faces-${row.key}`}>{formatInt(row.faces)}</td>
                  {FERPLUS_MODES.map((mode) => (
                    <td key={mode} data-testid={`ferplus-kept-${row.key}-${mode}`} title={`${MODE_TITLES[mode]}: ${formatInt(row.kept[mode])} kept, ${formatInt(row.faces - row.kept[mode])} dropped`}>
                      {formatInt(row.kept[mode])} <small className="muted">−{formatInt(row.faces - row.kept[mode])}</small>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4>Mean share of a face&rsquo;s votes</h4>
          <div className="vote-shares" data-testid="ferplus-vote-shares">
            {shareNames.map((name, c) => (
              <div key={name} className="vote-share">
                <span className="balance-label">{name}</span>
                <span className="vote-share-bar">
                  <span style={{ width: `${(100 * summary.meanShare[c]) / maxShare}%`, background: c < labelSet.names.length ? classColor(labelSet, c) : '#b0b4bc' }} />
                </span>
                <span className="vote-share-value" data-testid={`ferplus-share-${name}`}>
                  {formatPercent(summary.meanShare[c])}
                </span>
              </div>
            ))}
          </div>
          <p className="muted">Over the {formatInt(summary.voted)} faces with votes, as the crowd gave them (single votes included).</p>
        </div>
      </div>
      <h4>Training faces and their votes</h4>
      <div className="vote-faces" data-testid="ferplus-vote-faces">
        {faces.map(({ row, label }) => {
          const text = votesText(votes, row, labelSet.names);
          return (
            <figure key={row} className="vote-face">
              <GrayImage pixels={buffers.pixels.subarray(row * PIXELS, (row + 1) * PIXELS)} size={64} title={`row ${row + 2}: ${text}`} />
              <figcaption>
                <strong>{label === LABEL_NONE ? 'no majority' : labelSet.names[label]}</strong>
                <br />
                {text}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
