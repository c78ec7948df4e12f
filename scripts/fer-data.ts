// Node-side: locates the real FER2013 files (never part of this repository) for tests and benchmarks.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** FER_DATA_DIR overrides ../shared/data/fer2013 (relative to the repository). */
export function ferDataDir(): string {
  return process.env.FER_DATA_DIR ? resolve(process.env.FER_DATA_DIR) : resolve(repoRoot, '../shared/data/fer2013');
}

/** FERPLUS_DATA_DIR overrides ../shared/data/ferplus (relative to the repository), as FER_DATA_DIR does for FER2013. */
export function ferPlusDataDir(): string {
  return process.env.FERPLUS_DATA_DIR ? resolve(process.env.FERPLUS_DATA_DIR) : resolve(repoRoot, '../shared/data/ferplus');
}

/** Microsoft's FER+ vote file: one row of votes per fer2013.csv row, in its order. */
export const FERPLUS_CSV = 'fer2013new.csv';
/** 2,000 faces in FER+'s own folder layout (FER2013Train/ FER2013Valid/ FER2013Test/ with label.csv files). */
export const FERPLUS_SAMPLE_ZIP = 'ferplus-images-sample-2000.zip';

export const SAMPLE_CSV = 'fer2013-sample-2000.csv';
export const FULL_CSV_GZ = 'fer2013.csv.gz';
/** Kaggle's image release of the same faces (train/<class>/Training_*.jpg, test/<class>/P*Test_*.jpg). */
export const IMAGES_ZIP = 'fer2013-images.zip';
export const SAMPLE_IMAGES_ZIP = 'fer2013-images-sample-2000.zip';
/**
 * Row of the full CSV -> its source JPEG in the image zip, Usage, label, SHA-1 of that JPEG's decoded 2,304 pixels
 * (the sample CSV's pixels; the full CSV holds the original pixels instead) and whether the row holds the originals.
 */
export const MANIFEST_CSV_GZ = 'fer2013-manifest.csv.gz';
/** Uncompressed size of the full file, per its README. */
export const FULL_CSV_BYTES = 301_072_714;

/**
 * Path of a data file, or null when it is absent. With CI set, absence is an error: tests that need the
 * real data must fail there, not skip.
 */
export function ferDataFile(name: string): string | null {
  const path = join(ferDataDir(), name);
  if (existsSync(path)) return path;
  if (process.env.CI) throw new Error(`CI is set but the FER2013 data file ${path} is missing (set FER_DATA_DIR)`);
  return null;
}

/** A FER+ data file (ferPlusDataDir()), or null when absent; an error under CI, as ferDataFile. */
export function ferPlusDataFile(name: string): string | null {
  const path = join(ferPlusDataDir(), name);
  if (existsSync(path)) return path;
  if (process.env.CI) throw new Error(`CI is set but the FER+ data file ${path} is missing (set FERPLUS_DATA_DIR)`);
  return null;
}

/**
 * The full fer2013.csv, gunzipped once into a temp folder (reused while its size matches and it is newer than the .gz).
 * Returns null when the .gz is absent (an error under CI).
 */
export async function fullFerCsv(): Promise<string | null> {
  const gz = ferDataFile(FULL_CSV_GZ);
  if (gz === null) return null;
  const folder = join(tmpdir(), 'fer-trainer-data');
  const target = join(folder, 'fer2013.csv');
  if (existsSync(target) && statSync(target).size === FULL_CSV_BYTES && statSync(target).mtimeMs >= statSync(gz).mtimeMs) return target;
  mkdirSync(folder, { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await pipeline(createReadStream(gz), createGunzip(), createWriteStream(partial));
  renameSync(partial, target);
  return target;
}
