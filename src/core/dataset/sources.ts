// Pure detection of what a dropped file is, from its first bytes (and a ZIP's directory), decided once for
// the dataset worker and the CLI. Runs in workers and Node; no DOM.
import { isEmptyZip, isZip, readZipDirectory } from '../archive/zip';
import { isCsvName } from '../csv/csv-source';
import { SNIFF_BYTES } from '../csv/sniff';
import { isFerPlusLayout } from '../ferplus/folder-layout';
import { FERPLUS_VOTE_COLUMNS } from '../ferplus/label-file';

/**
 * - `faces-csv`: a FER2013-style CSV of faces, plain or packed (.gz, .tar.gz, a ZIP holding a .csv); its parser
 *   judges the rest (and says what is wrong with anything else);
 * - `image-zip`: a ZIP of image folders: without a CSV (class folders), or FER+'s FER2013Train/ … layout (whose
 *   label.csv files are CSVs);
 * - `ferplus-votes`: Microsoft's fer2013new.csv: crowd votes for the rows of fer2013.csv, no faces.
 */
export type DataSourceKind = 'faces-csv' | 'image-zip' | 'ferplus-votes';

/** The fields of a CSV header line, lower-case and trimmed (quotes removed). */
function headerFields(line: string): string[] {
  return line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase());
}

/**
 * True when a CSV header line is FER+'s vote file's (`Usage,Image name,neutral,happiness,…,unknown,NF`): it
 * names `Image name` or at least three of the vote columns, and no `pixels` column (so a FER2013 CSV with
 * extra columns stays a FER2013 CSV). A damaged FER+ header is thereby still taken for one, and its parser
 * names the column it lacks.
 */
export function isFerPlusVoteHeader(line: string): boolean {
  const fields = headerFields(line.replace(/^\ufeff/, ''));
  if (fields.includes('pixels')) return false;
  const votes = FERPLUS_VOTE_COLUMNS.filter((name) => fields.includes(name.toLowerCase())).length;
  return fields.includes('image name') || votes >= 3;
}

/** The first line of a text head (without its line end); the whole head when it has no line break. */
function firstLine(head: Uint8Array): string {
  const text = new TextDecoder().decode(head);
  const end = text.search(/\r|\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** What `blob` is (see DataSourceKind), from its first SNIFF_BYTES bytes, and for a ZIP its directory. */
export async function detectDataSource(blob: Blob): Promise<DataSourceKind> {
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  if (isEmptyZip(head)) throw new Error('the ZIP archive is empty: it holds no files');
  if (isZip(head)) {
    const names = (await readZipDirectory(blob)).map((entry) => entry.name);
    return isFerPlusLayout(names) || !names.some(isCsvName) ? 'image-zip' : 'faces-csv';
  }
  // gzip and other binary formats are the CSV parser's to open or refuse.
  if (head.length === 0 || head[0] === 0x1f) return 'faces-csv';
  return isFerPlusVoteHeader(firstLine(head)) ? 'ferplus-votes' : 'faces-csv';
}
