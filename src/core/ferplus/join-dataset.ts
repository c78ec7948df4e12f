// Pure: the faces of fer2013.csv plus Microsoft's fer2013new.csv -> a FER+ data set (FER+'s eight classes, the
// crowd votes, majority labels). Runs in the dataset worker and Node; no DOM.
import type { DatasetBuffers, SkippedRows } from '../dataset/types';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { FerPlusFileError, joinFerPlusVotes, type FerPlusLabelFile } from './label-file';
import { processVotes } from './votes';

/** The faces a FER+ vote file is joined to: a parsed fer2013.csv, or the data set on screen. */
export interface FerPlusBase {
  /** File name (or the data set's name), for messages and the joined data set's name. */
  name: string;
  buffers: DatasetBuffers;
  hasUsage: boolean;
  skipped: SkippedRows;
  /** Set when the faces came from image folders or the demo generator: not in fer2013.csv's row order. */
  images?: unknown;
  synthetic?: boolean;
}

/** "fer2013.csv + fer2013new.csv (FER+ votes)". */
export function ferPlusDatasetName(facesName: string, labelsName: string): string {
  return `${facesName} + ${labelsName} (FER+ votes)`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Joins FER+'s votes to the faces of fer2013.csv by row order (joinFerPlusVotes checks Usage on every row).
 * The result has FER+'s eight classes, the votes (rows x 10: 8 emotions, unknown, NF) and `labels` = the
 * majority vote, LABEL_NONE where there is none (those faces are in no split). Pixels and usage are the base's
 * arrays (not copied); any class mapping of the base is not carried over (the votes replace its labels).
 *
 * @throws FerPlusFileError when the base cannot be joined (image folders, demo faces, votes already, no Usage
 *   column, rows skipped when it was read) or the files disagree: the message names the file and the first
 *   row that disagrees.
 */
export function joinFerPlusDataset(base: FerPlusBase, labelFile: FerPlusLabelFile, labelsName: string): DatasetBuffers {
  const refuse = (why: string) => {
    throw new FerPlusFileError(`${labelsName} holds FER+ votes for the rows of the original fer2013.csv, but ${base.name} ${why}`);
  };
  if (base.synthetic) refuse('is generated demo data');
  if (base.images) refuse('was read from image folders, whose order is not fer2013.csv\u2019s rows: drop fer2013.csv (or fer2013.csv.gz) with it');
  if (base.buffers.votes) refuse('already carries crowd votes');
  if (!base.hasUsage) refuse('has no Usage column, and the join checks Usage on every row');
  if (base.skipped.count > 0) {
    const shown = base.skipped.first.slice(0, 3).join('; ');
    refuse(
      `had ${fmt(base.skipped.count)} row${base.skipped.count === 1 ? '' : 's'} skipped when it was read (${shown}${base.skipped.count > 3 ? '; …' : ''}), ` +
        'so its rows no longer line up: FER+ joins by row order and needs every row',
    );
  }
  const joined = joinFerPlusVotes(base.buffers.usage, labelFile, { labels: labelsName, faces: base.name });
  const { majority } = processVotes(joined.votes, joined.rows, 'majority');
  return {
    rows: joined.rows,
    pixels: base.buffers.pixels,
    labels: majority,
    usage: base.buffers.usage,
    labelSet: FERPLUS_LABELS,
    votes: joined.votes,
  };
}
