// Pure parsing of FER+'s vote files: Microsoft's fer2013new.csv (one row per fer2013.csv row, same order) and
// the per-folder label.csv of its image layout, plus the row-by-row join to fer2013.csv. No DOM.
import { USAGES } from '../dataset/face-format';
import { VOTES_PER_FACE } from './votes';

/** A FER+ file is not what it should be; the message names the file, the row and the problem. */
export class FerPlusFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FerPlusFileError';
  }
}

/** fer2013new.csv's vote columns, in the order of a votes row (compared case-insensitively). */
export const FERPLUS_VOTE_COLUMNS = ['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'NF'] as const;

/** Microsoft's fer2013new.csv, parsed. */
export interface FerPlusLabelFile {
  rows: number;
  /** Usage code per row (index into USAGES: 0 Training, 1 PublicTest, 2 PrivateTest); length rows. */
  usage: Uint8Array;
  /** `Image name` per row, '' where FER+ dropped the face (no PNG). Not unique: join by row, never by name. */
  names: string[];
  /** length rows*10, row-major: the 8 emotions, unknown, NF (VOTES_PER_FACE per row). */
  votes: Uint8Array;
}

/** A label.csv of FER+'s folder layout (FER2013Train/ and so on), parsed. */
export interface FerPlusFolderLabels {
  rows: number;
  /** PNG file name per row, as written (e.g. `fer0000005.png`). */
  names: string[];
  /** length rows*10, as in FerPlusLabelFile. */
  votes: Uint8Array;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Lines without their ends (CRLF, LF or CR), a leading BOM and the trailing empty lines removed. */
function lines(text: string): string[] {
  const all = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\n|\r/);
  let end = all.length;
  while (end > 0 && all[end - 1].trim() === '') end--;
  return all.slice(0, end);
}

/** One CSV line's fields: commas separate, double quotes enclose (`""` is a quote inside them). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A vote count: a whole number 0..255 (they are 0..10 in FER+). */
function parseCount(field: string, where: string, column: string): number {
  const text = field.trim();
  if (!/^\d{1,3}$/.test(text) || Number(text) > 255) {
    throw new FerPlusFileError(`${where}: ${column} is "${field}", expected a vote count (a whole number from 0 to 255)`);
  }
  return Number(text);
}

/**
 * Parses Microsoft's fer2013new.csv: a header (`Usage,Image name,neutral,...,contempt,unknown,NF`, columns found by
 * name, in any order, case-insensitively) and one row per face of fer2013.csv, in its order (35,887 rows).
 * CRLF or LF; a BOM and trailing empty lines are ignored.
 *
 * @param text the whole file, decoded.
 * @param fileName for messages.
 * @throws FerPlusFileError naming the spreadsheet row (the header is row 1) and the problem.
 */
export function parseFerPlusCsv(text: string, fileName = 'fer2013new.csv'): FerPlusLabelFile {
  const all = lines(text);
  if (all.length === 0) throw new FerPlusFileError(`${fileName} is empty`);
  const header = splitCsvLine(all[0]).map((name) => name.trim().toLowerCase());
  const wanted = ['usage', 'image name', ...FERPLUS_VOTE_COLUMNS.map((name) => name.toLowerCase())];
  const columns = wanted.map((name) => header.indexOf(name));
  const missing = wanted.filter((_, i) => columns[i] < 0);
  if (missing.length > 0) {
    throw new FerPlusFileError(
      `${fileName} row 1: the header lacks ${missing.map((name) => `"${name}"`).join(', ')} ` +
        `(expected Usage, Image name, ${FERPLUS_VOTE_COLUMNS.join(', ')}; found ${header.join(', ')})`,
    );
  }
  const needed = Math.max(...columns) + 1;
  const [usageColumn, nameColumn] = columns;
  const voteColumns = columns.slice(2);
  const rows = all.length - 1;
  const usage = new Uint8Array(rows);
  const names: string[] = new Array<string>(rows);
  const votes = new Uint8Array(rows * VOTES_PER_FACE);
  for (let row = 0; row < rows; row++) {
    const where = `${fileName} row ${row + 2}`;
    const line = all[row + 1];
    if (line.trim() === '') throw new FerPlusFileError(`${where} is empty`);
    const fields = splitCsvLine(line);
    if (fields.length < needed) throw new FerPlusFileError(`${where}: expected ${header.length} fields, found ${fields.length}`);
    const usageText = fields[usageColumn].trim();
    const code = USAGES.findIndex((u) => u.toLowerCase() === usageText.toLowerCase());
    if (code < 0) throw new FerPlusFileError(`${where}: Usage is "${usageText}", expected ${USAGES.join(', ')}`);
    usage[row] = code;
    names[row] = fields[nameColumn].trim();
    for (let v = 0; v < VOTES_PER_FACE; v++) {
      votes[row * VOTES_PER_FACE + v] = parseCount(fields[voteColumns[v]], where, FERPLUS_VOTE_COLUMNS[v]);
    }
  }
  return { rows, usage, names, votes };
}

/**
 * Parses one label.csv of FER+'s folder layout: no header, one row per PNG of its folder:
 * `name,"(x, y, w, h)",` then the 10 vote counts (the 8 emotions, unknown, NF). CRLF or LF.
 *
 * @param fileName for messages (e.g. the path in the zip).
 * @throws FerPlusFileError naming the row (the first line is row 1) and the problem.
 */
export function parseFerPlusFolderLabels(text: string, fileName = 'label.csv'): FerPlusFolderLabels {
  const all = lines(text);
  const rows = all.length;
  const names: string[] = new Array<string>(rows);
  const votes = new Uint8Array(rows * VOTES_PER_FACE);
  for (let row = 0; row < rows; row++) {
    const where = `${fileName} row ${row + 1}`;
    if (all[row].trim() === '') throw new FerPlusFileError(`${where} is empty`);
    const fields = splitCsvLine(all[row]);
    if (fields.length !== 2 + VOTES_PER_FACE) {
      throw new FerPlusFileError(
        `${where}: expected ${2 + VOTES_PER_FACE} fields (name, "(x, y, w, h)", ${VOTES_PER_FACE} vote counts), found ${fields.length}`,
      );
    }
    const name = fields[0].trim();
    if (name === '') throw new FerPlusFileError(`${where}: the file name (column 1) is empty`);
    if (!/^\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)$/.test(fields[1].trim())) {
      throw new FerPlusFileError(`${where}: column 2 is "${fields[1]}", expected a face box such as "(0, 0, 48, 48)"`);
    }
    names[row] = name;
    for (let v = 0; v < VOTES_PER_FACE; v++) {
      votes[row * VOTES_PER_FACE + v] = parseCount(fields[2 + v], where, FERPLUS_VOTE_COLUMNS[v]);
    }
  }
  return { rows, names, votes };
}

/** FER+ votes lined up with fer2013.csv: row i here is row i there. */
export interface FerPlusVotes {
  rows: number;
  /** length rows*10, as in FerPlusLabelFile. */
  votes: Uint8Array;
  names: string[];
}

/**
 * Joins fer2013new.csv to fer2013.csv by row order (the only valid key: names are not row indices and repeat),
 * checking that both have the same Usage on every row they share (first), then the same number of rows.
 *
 * @param csvUsage Usage codes of EVERY row of fer2013.csv, in its order (none skipped), length = its rows.
 * @param fileNames for messages.
 * @returns the label file's votes and names (shared, not copied).
 * @throws FerPlusFileError naming the first row that disagrees (spreadsheet row numbers: header = row 1).
 */
export function joinFerPlusVotes(
  csvUsage: Uint8Array,
  labelFile: FerPlusLabelFile,
  fileNames: { labels?: string; faces?: string } = {},
): FerPlusVotes {
  const labels = fileNames.labels ?? 'fer2013new.csv';
  const faces = fileNames.faces ?? 'fer2013.csv';
  // The rows both files have first, so that a shuffled sample is named by its first disagreeing row too.
  const common = Math.min(csvUsage.length, labelFile.rows);
  for (let row = 0; row < common; row++) {
    if (csvUsage[row] === labelFile.usage[row]) continue;
    const line = row + 2;
    throw new FerPlusFileError(
      `${labels} row ${line}: Usage is ${USAGES[labelFile.usage[row]] ?? labelFile.usage[row]}, but row ${line} of ${faces} ` +
        `is ${USAGES[csvUsage[row]] ?? csvUsage[row]} — the files are not in the same order (a shuffled or other CSV?)`,
    );
  }
  if (csvUsage.length !== labelFile.rows) {
    throw new FerPlusFileError(
      `${labels} has ${fmt(labelFile.rows)} rows of faces, but ${faces} has ${fmt(csvUsage.length)}: FER+ labels every row ` +
        `of the original fer2013.csv (35,887 faces), in its order (a sample, or rows skipped?)`,
    );
  }
  return { rows: labelFile.rows, votes: labelFile.votes, names: labelFile.names };
}
