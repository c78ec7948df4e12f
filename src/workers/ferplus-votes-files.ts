// Runs in the dataset worker (and in Node tests): FER+'s vote file (Microsoft's fer2013new.csv) joined to the
// faces of fer2013.csv, dropped together or onto the FER2013 data set already loaded (read back from the
// browser's storage). Nothing is stored or posted here: the handler does that with the result.
import { parseFerBlob, type ParseProgress } from '../core/csv/parse-fer-blob';
import type { DataSourceKind } from '../core/dataset/sources';
import type { ParsedDataset } from '../core/dataset/types';
import { ferPlusDatasetName, joinFerPlusDataset } from '../core/ferplus/join-dataset';
import { FerPlusFileError, parseFerPlusCsv } from '../core/ferplus/label-file';
import type { DatasetCache } from './dataset-protocol';

/** A dropped file and its name. */
export interface NamedFile {
  file: Blob;
  name: string;
}

export interface FerPlusVotesLoad {
  /** The joined data set: FER+'s eight classes, votes, majority labels; every row of fer2013.csv. */
  parsed: ParsedDataset;
  /** "fer2013.csv + fer2013new.csv (FER+ votes)". */
  name: string;
  /** Bytes of both sources. */
  bytes: number;
}

const NEEDS_FACES = 'drop it together with fer2013.csv (both files at once), or onto a loaded fer2013.csv';

/**
 * Loads what several dropped files, or one FER+ vote file, make (`kinds[i]` is detectDataSource of files[i]):
 * - fer2013.csv (plain or packed) + fer2013new.csv, in either order: the faces parsed, the votes joined by row;
 * - fer2013new.csv alone: joined to the data set on screen, `joinTo` (its fingerprint), read back from `cache`.
 * The vote file is parsed first, so a broken one is refused before the long CSV parse.
 *
 * @throws FerPlusFileError (or the CSV parser's FerCsvError) naming the file and, for a mismatch, the first row
 *   that disagrees; nothing is loaded then, and what was loaded before stays (on screen and stored).
 */
export async function loadFerPlusVotesFiles(
  files: readonly NamedFile[],
  kinds: readonly DataSourceKind[],
  options: { joinTo?: string; cache: DatasetCache | null; onProgress?: (progress: ParseProgress) => void },
): Promise<FerPlusVotesLoad> {
  const names = files.map((f) => f.name).join(', ');
  if (files.length > 2) {
    throw new FerPlusFileError(`${files.length} files were dropped (${names}): drop one data set at a time, or fer2013.csv together with FER+\u2019s fer2013new.csv`);
  }
  const votesAt = kinds.flatMap((kind, i) => (kind === 'ferplus-votes' ? [i] : []));
  if (files.length === 2 && votesAt.length !== 1) {
    throw new FerPlusFileError(
      votesAt.length === 0
        ? `${names} were dropped together, and neither is FER+\u2019s vote file (fer2013new.csv, header Usage,Image name,neutral,…): drop one data set at a time`
        : `${names} are both FER+ vote files: drop fer2013new.csv together with fer2013.csv, which holds the faces`,
    );
  }
  const votes = files[votesAt[0]];
  const readVotes = async () => {
    options.onProgress?.({ bytesRead: 0, bytesTotal: votes.file.size, rows: 0, skipped: 0 });
    const labelFile = parseFerPlusCsv(await votes.file.text(), votes.name);
    options.onProgress?.({ bytesRead: votes.file.size, bytesTotal: votes.file.size, rows: labelFile.rows, skipped: 0 });
    return labelFile;
  };

  if (files.length === 1) {
    const { joinTo, cache } = options;
    if (!joinTo) throw new FerPlusFileError(`${votes.name} holds FER+\u2019s crowd votes for the faces of fer2013.csv, not faces: ${NEEDS_FACES}`);
    const base = cache ? await cache.load() : null;
    if (!base || base.fingerprint !== joinTo) {
      throw new FerPlusFileError(
        `${votes.name} holds FER+\u2019s crowd votes, not faces, and the data set on screen is not in this browser\u2019s storage to join them to: drop fer2013.csv and ${votes.name} together`,
      );
    }
    const labelFile = await readVotes();
    const buffers = joinFerPlusDataset(base, labelFile, votes.name);
    return {
      parsed: { ...buffers, hasUsage: true, skipped: { count: 0, first: [] } },
      name: ferPlusDatasetName(base.name, votes.name),
      bytes: base.bytes + votes.file.size,
    };
  }

  const faces = files[1 - votesAt[0]];
  const facesKind = kinds[1 - votesAt[0]];
  if (facesKind !== 'faces-csv') {
    throw new FerPlusFileError(
      `${faces.name} is a ZIP of images, but FER+\u2019s votes in ${votes.name} join the rows of fer2013.csv: drop fer2013.csv (or fer2013.csv.gz) with it. ` +
        'FER+\u2019s own folders (FER2013Train/, FER2013Valid/, FER2013Test/ with their label.csv) load on their own',
    );
  }
  const labelFile = await readVotes();
  const parsed = await parseFerBlob(faces.file, { onProgress: options.onProgress });
  const buffers = joinFerPlusDataset({ name: faces.name, buffers: parsed, hasUsage: parsed.hasUsage, skipped: parsed.skipped }, labelFile, votes.name);
  return {
    parsed: { ...buffers, hasUsage: true, skipped: { count: 0, first: [] } },
    name: ferPlusDatasetName(faces.name, votes.name),
    bytes: faces.file.size + votes.file.size,
  };
}
