import { gzipSync, zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectDataSource, isFerPlusVoteHeader } from './sources';

const blob = (bytes: Uint8Array | string) => new Blob([typeof bytes === 'string' ? bytes : (bytes as Uint8Array<ArrayBuffer>)]);

describe('detectDataSource', () => {
  it('tells FER2013 CSVs (plain, gzip, zipped), image zips and FER+ vote files apart', async () => {
    const csv = 'emotion,pixels,Usage\n0,1 2 3,Training\n';
    expect(await detectDataSource(blob(csv))).toBe('faces-csv');
    expect(await detectDataSource(blob(gzipSync(strToU8(csv))))).toBe('faces-csv');
    expect(await detectDataSource(blob(zipSync({ 'fer2013.csv': strToU8(csv) })))).toBe('faces-csv');
    expect(await detectDataSource(blob(zipSync({ 'train/happy/a.png': new Uint8Array([1, 2, 3]) })))).toBe('image-zip');
    // FER+'s folders hold label.csv files, yet are image folders
    expect(await detectDataSource(blob(zipSync({ 'data/FER2013Train/label.csv': strToU8('fer0000000.png,"(0, 0, 48, 48)",0,10,0,0,0,0,0,0,0,0\n'), 'data/FER2013Train/fer0000000.png': new Uint8Array([1]) })))).toBe('image-zip');
    expect(await detectDataSource(blob('Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\r\nTraining,fer0000000.png,4,0,0,1,3,2,0,0,0,0\r\n'))).toBe('ferplus-votes');
    expect(await detectDataSource(blob(''))).toBe('faces-csv');
  });

  it('says a ZIP with no files at all is empty (it has no local file header, so it looked like binary text)', async () => {
    const empty = zipSync({});
    expect(Array.from(empty.subarray(0, 4))).toEqual([0x50, 0x4b, 0x05, 0x06]);
    await expect(detectDataSource(blob(empty))).rejects.toThrow('the ZIP archive is empty: it holds no files');
  });

  it('keeps a FER2013 CSV with extra vote-like columns a FER2013 CSV (it has pixels)', () => {
    expect(isFerPlusVoteHeader('emotion,pixels,Usage,neutral,happiness,anger')).toBe(false);
    expect(isFerPlusVoteHeader('\ufeff"Usage","Image name"')).toBe(true);
  });
});
