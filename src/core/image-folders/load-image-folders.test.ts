import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PIXELS, USAGE_PRIVATE_TEST } from '../dataset/face-format';
import type { RgbaImage } from '../face-crop/types';
import { filesImageSource, zipImageSource } from './image-sources';
import { FER2013_LABELS } from '../labels/fer2013';
import { labelSetProblems } from '../labels/label-set';
import { ImageFolderError, imageTypeOf, loadImageFolders, UnknownFoldersError, type DecodeImage } from './load-image-folders';

/**
 * A stand-in image file: the PNG signature, then width, height and one gray level. The fake decoder below
 * reads it back as a flat RGBA image, or throws for gray level 0xEE (a "corrupt" file).
 */
const fakePng = (gray: number, width = 48, height = 48) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, width, height, gray]);
const decodeFake: DecodeImage = async (bytes) => {
  const [width, height, gray] = bytes.subarray(8, 11);
  if (gray === 0xee) throw new Error('bad data');
  const image: RgbaImage = { data: new Uint8Array(width * height * 4).fill(gray), width, height };
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return image;
};
/** A ZIP archive of `files`: deflated, or stored with level 0 (as Kaggle's image zip is). */
const zipOf = (files: Record<string, Uint8Array>, level: 0 | 6 = 6) => new Blob([zipSync(files, { level }) as Uint8Array<ArrayBuffer>]);

describe('loadImageFolders', () => {
  it('loads class folders from a zip in path order, with FER2013\u2019s split from the file names', async () => {
    const blob = zipOf({
      'data/train/happy/Training_1.png': fakePng(10),
      'data/train/sad/Training_2.png': fakePng(20),
      'data/test/angry/PublicTest_3.png': fakePng(30),
      'data/test/angry/PrivateTest_4.png': fakePng(40),
    }, 0);
    const loaded = await loadImageFolders(await zipImageSource(blob), decodeFake);
    expect(loaded.rows).toBe(4);
    expect(Array.from(loaded.labels)).toEqual([3, 4, 0, 0]);
    expect(Array.from(loaded.usage)).toEqual([0, 0, 1, 2]);
    expect([0, 1, 2, 3].map((row) => loaded.pixels[row * PIXELS + 100])).toEqual([10, 20, 30, 40]);
    expect(loaded.origin.resized).toBe(0);
  });

  it('skips empty, non-image and undecodable files by path and loads the rest', async () => {
    const blob = zipOf({
      'happy/a.png': fakePng(50),
      'happy/empty.png': new Uint8Array(0),
      'sad/notes.txt': new TextEncoder().encode('hello'),
      'sad/broken.jpg': fakePng(0xee),
      'sad/b.png': fakePng(60),
    });
    const loaded = await loadImageFolders(await zipImageSource(blob), decodeFake);
    expect(loaded.rows).toBe(2);
    expect(Array.from(loaded.labels)).toEqual([3, 4]);
    expect(loaded.pixels.length).toBe(2 * PIXELS);
    expect(loaded.pixels[PIXELS]).toBe(60); // packed up past the skipped files
    expect(loaded.skipped.count).toBe(3);
    expect(loaded.skipped.first).toEqual([
      'happy/empty.png: the file is empty',
      'sad/notes.txt: not an image (JPEG, PNG, WebP or BMP)',
      'sad/broken.jpg: the image is corrupt or cut short and could not be decoded',
    ]);
    expect(loaded.hasUsage).toBe(false); // class folders alone: the seed split applies
  });

  it('cuts other sizes to their centre square and shrinks them to 48x48, and says how many', async () => {
    const files = [
      { path: 'faces/neutral/big.png', file: new Blob([fakePng(80, 96, 96)]) },
      { path: 'faces/neutral/wide.png', file: new Blob([fakePng(90, 120, 60)]) },
    ];
    const loaded = await loadImageFolders(filesImageSource(files), decodeFake);
    expect(loaded.rows).toBe(2);
    expect(loaded.origin.resized).toBe(2);
    expect(loaded.pixels[PIXELS - 1]).toBe(80);
    expect(loaded.pixels[2 * PIXELS - 1]).toBe(90);
  });

  it('stops on a class folder it does not know, and skips it when asked', async () => {
    const blob = zipOf({ 'contempt/a.png': fakePng(1), 'happy/b.png': fakePng(2) });
    const error = await loadImageFolders(await zipImageSource(blob), decodeFake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownFoldersError);
    expect((error as UnknownFoldersError).folders).toEqual([{ folder: 'contempt', files: 1 }]);
    expect((error as UnknownFoldersError).choice).toEqual({
      unknown: [{ folder: 'contempt', files: 1 }],
      classes: [{ folder: 'contempt', files: 1 }, { folder: 'happy', files: 1 }],
      ownClassesProblem: null,
      canSkip: true,
    });
    expect((error as Error).message).toBe(
      'the folder contempt/ (1 file) is not one of FER2013\u2019s emotions: train on all 2 folders as 2 classes of your own, or skip it and load the rest, ' +
        'or rename it to angry, disgust, fear, happy, sad, surprise, neutral (or anger, fearful, happiness, sadness, surprised\u2026)',
    );
    const loaded = await loadImageFolders(await zipImageSource(blob), decodeFake, { skipFolders: ['contempt'] });
    expect(loaded.rows).toBe(1);
    expect(loaded.labelSet).toBe(FER2013_LABELS);
    expect(loaded.origin.skippedFolders).toEqual([{ folder: 'contempt', files: 1 }]);
  });

  it('trains on folders of the person\u2019s own classes when they agree: names as given, alphabetical, train/ and test/ merged by name', async () => {
    const blob = zipOf({
      'pets/train/owl/1.png': fakePng(30),
      'pets/train/Dog/2.png': fakePng(20),
      'pets/train/cat/3.png': fakePng(10),
      'pets/test/CAT/4.png': fakePng(11),
      'pets/test/dog/5.png': fakePng(21),
      'pets/test/owl/6.png': fakePng(31),
    });
    const error = await loadImageFolders(await zipImageSource(blob), decodeFake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownFoldersError);
    expect((error as UnknownFoldersError).choice).toEqual({
      unknown: [{ folder: 'cat', files: 2 }, { folder: 'Dog', files: 2 }, { folder: 'owl', files: 2 }],
      classes: [{ folder: 'cat', files: 2 }, { folder: 'Dog', files: 2 }, { folder: 'owl', files: 2 }],
      ownClassesProblem: null,
      canSkip: false,
    });
    expect((error as Error).message).toMatch(/^the folders cat\/ \(2 files\), Dog\/ \(2 files\), owl\/ \(2 files\) are not FER2013\u2019s emotions: train on all 3 folders as 3 classes of your own, or rename them/);
    const loaded = await loadImageFolders(await zipImageSource(blob), decodeFake, { ownClasses: true });
    expect(loaded.labelSet).toEqual({ names: ['cat', 'Dog', 'owl'] });
    expect(labelSetProblems(loaded.labelSet)).toEqual([]);
    expect(loaded.rows).toBe(6);
    expect(Array.from(loaded.labels)).toEqual([2, 1, 0, 0, 1, 2]);
    expect([0, 1, 2, 3, 4, 5].map((row) => loaded.pixels[row * PIXELS])).toEqual([30, 20, 10, 11, 21, 31]);
    expect(loaded.hasUsage).toBe(true);
    expect(Array.from(loaded.usage).filter((usage) => usage === USAGE_PRIVATE_TEST)).toHaveLength(3);
  });

  it('refuses one own class, or more than 20, saying why', async () => {
    const one = zipOf({ 'cats/a.png': fakePng(1), 'cats/b.png': fakePng(2) });
    const error = await loadImageFolders(await zipImageSource(one), decodeFake).catch((e: unknown) => e);
    expect((error as UnknownFoldersError).choice.ownClassesProblem).toMatch(/^there is one class folder \(cats\/\)/);
    expect((error as Error).message).toMatch(
      /^the folder cats\/ \(2 files\) is not one of FER2013\u2019s emotions, and the folders cannot be classes of your own either \(there is one class folder \(cats\/\), and a model needs 2 to 20 classes.*\): rename it to angry/,
    );
    await expect(loadImageFolders(await zipImageSource(one), decodeFake, { ownClasses: true })).rejects.toThrow(/^there is one class folder \(cats\/\), and a model needs 2 to 20 classes/);
    const many = zipOf(Object.fromEntries(Array.from({ length: 21 }, (_, k) => [`set/class${k + 1}/a.png`, fakePng(k)])));
    const tooMany = await loadImageFolders(await zipImageSource(many), decodeFake, { ownClasses: true }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(ImageFolderError);
    expect((tooMany as Error).message).toBe('there are 21 class folders, and a model takes 2 to 20 classes: merge or remove some folders');
    const twenty = zipOf(Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`set/class${k + 1}/a.png`, fakePng(k)])));
    const loaded = await loadImageFolders(await zipImageSource(twenty), decodeFake, { ownClasses: true });
    expect(loaded.labelSet.names).toEqual(Array.from({ length: 20 }, (_, k) => `class${k + 1}`));
    expect(Array.from(loaded.labels)).toEqual(Array.from({ length: 20 }, (_, k) => k));
  });

  it('says so when nothing is usable', async () => {
    await expect(loadImageFolders(await zipImageSource(zipOf({ 'readme.md': new Uint8Array(3) })), decodeFake)).rejects.toThrow(/no images in class folders/);
    const broken = zipOf({ 'sad/x.png': fakePng(0xee) });
    await expect(loadImageFolders(await zipImageSource(broken), decodeFake)).rejects.toThrow(ImageFolderError);
    await expect(loadImageFolders(await zipImageSource(broken), decodeFake)).rejects.toThrow(/none of its 1 image file could be loaded \(sad\/x.png: the image is corrupt/);
  });

  it('recognises the formats by their bytes', () => {
    const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
    expect(imageTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageTypeOf(fakePng(0))).toBe('image/png');
    expect(imageTypeOf(ascii('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(imageTypeOf(ascii('BM\0\0'))).toBe('image/bmp');
    expect(imageTypeOf(ascii('GIF89a'))).toBeNull();
  });
});
