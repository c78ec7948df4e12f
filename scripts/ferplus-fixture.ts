// Node test helper: a small generated FER2013 CSV and a matching FER+ vote file (fer2013new.csv's format, the
// same rows in the same order), for the CLI and bench tests. Never real data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USAGES } from '../src/core/dataset/face-format';
import { FERPLUS_VOTE_COLUMNS } from '../src/core/ferplus/label-file';
import { processVotes } from '../src/core/ferplus/votes';
import { createRng } from '../src/core/random';

/** Vote rows (8 emotions, unknown, NF) cycled over the faces: what each FER+ mode keeps differs. */
const PATTERNS = [
  [8, 2, 0, 0, 0, 0, 0, 0, 0, 0], // majority neutral
  [0, 9, 1, 0, 0, 0, 0, 0, 0, 0], // majority happiness
  [4, 3, 3, 0, 0, 0, 0, 0, 0, 0], // no majority; crossentropy keeps it
  [0, 0, 6, 4, 0, 0, 0, 0, 0, 0], // majority surprise
  [2, 0, 0, 0, 0, 0, 0, 0, 8, 0], // unknown: dropped everywhere
  [0, 0, 0, 0, 7, 0, 3, 0, 0, 0], // majority anger
];

export interface FerPlusFixture {
  csv: string;
  ferplus: string;
  /** Rows per split (Training, PublicTest, PrivateTest) that each mode keeps; validation and test: majority. */
  kept: Record<'majority' | 'crossentropy', [number, number, number]>;
}

/** Writes fer2013.csv and fer2013new.csv with `perSplit` rows of each Usage into `dir`. */
export function writeFerPlusFixture(dir: string, perSplit: [number, number, number] = [96, 30, 30]): FerPlusFixture {
  const random = createRng(23);
  const faces = ['emotion,pixels,Usage'];
  const votes = ['Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF'];
  const all: number[] = [];
  const usage: number[] = [];
  let row = 0;
  perSplit.forEach((count, code) => {
    for (let i = 0; i < count; i++, row++) {
      const pattern = PATTERNS[row % PATTERNS.length];
      const pixels = Array.from({ length: 2304 }, () => Math.floor(random() * 256));
      faces.push(`${row % 7},${pixels.join(' ')},${USAGES[code]}`);
      votes.push(`${USAGES[code]},fer${String(row).padStart(7, '0')}.png,${pattern.join(',')}`);
      all.push(...pattern);
      usage.push(code);
    }
  });
  if (FERPLUS_VOTE_COLUMNS.length !== 10) throw new Error('fer2013new.csv has 10 vote columns');
  const csv = join(dir, 'fer2013.csv');
  const ferplus = join(dir, 'fer2013new.csv');
  writeFileSync(csv, `${faces.join('\n')}\n`);
  writeFileSync(ferplus, `${votes.join('\r\n')}\r\n`);
  const count = (mode: 'majority' | 'crossentropy') => {
    const { keep, majority } = processVotes(Uint8Array.from(all), row, mode);
    const out: [number, number, number] = [0, 0, 0];
    usage.forEach((code, r) => (out[code] += code === 0 ? keep[r] : majority[r] === 255 ? 0 : 1));
    return out;
  };
  return { csv, ferplus, kept: { majority: count('majority'), crossentropy: count('crossentropy') } };
}
