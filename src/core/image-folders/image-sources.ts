// Pure access to the files of an image-folder data set, whether packed in a ZIP archive or dragged in as a
// folder: their paths, and their bytes read a few at a time (never all at once). No DOM.
import { readZipDirectory, readZipEntries } from '../archive/zip';

export type FileBytes = { index: number; bytes: Uint8Array } | { index: number; error: string };

export interface ImageFileSource {
  /** Every file's path, '/'-separated, relative to what was dropped. */
  paths: string[];
  /** Size of what was dropped, in bytes (for progress). */
  bytesTotal: number;
  /** Bytes of it read so far. */
  bytesRead(): number;
  /** The bytes of the files at these positions of `paths`, in whatever order they come fastest. */
  read(indices: readonly number[]): AsyncIterable<FileBytes>;
}

/** Largest image file accepted, in bytes: a photo is a few MB; a bigger "image" is a mistake or a zip bomb. */
export const MAX_IMAGE_FILE_BYTES = 64 << 20;

/** The files of a ZIP archive, read front to back in large windows. */
export async function zipImageSource(blob: Blob): Promise<ImageFileSource> {
  const entries = await readZipDirectory(blob);
  const indexOf = new Map(entries.map((entry, index) => [entry, index]));
  let read = 0;
  return {
    paths: entries.map((entry) => entry.name),
    bytesTotal: blob.size,
    bytesRead: () => read,
    async *read(indices) {
      for await (const item of readZipEntries(blob, indices.map((i) => entries[i]), MAX_IMAGE_FILE_BYTES)) {
        read = Math.max(read, item.entry.localOffset + item.entry.compressedSize);
        const index = indexOf.get(item.entry)!;
        yield 'bytes' in item ? { index, bytes: item.bytes } : { index, error: item.error };
      }
    },
  };
}

/** Files read ahead of the one being handed out, so the disk is never idle. */
const READ_AHEAD = 16;

/** Loose files (a dragged folder): each read on its own, READ_AHEAD at a time. */
export function filesImageSource(files: readonly { path: string; file: Blob }[]): ImageFileSource {
  let read = 0;
  return {
    paths: files.map((entry) => entry.path),
    bytesTotal: files.reduce((sum, entry) => sum + entry.file.size, 0),
    bytesRead: () => read,
    async *read(indices) {
      const load = async (index: number): Promise<FileBytes> => {
        const { file } = files[index];
        if (file.size > MAX_IMAGE_FILE_BYTES) return { index, error: `it is ${(file.size / 2 ** 20).toFixed(0)} MB, more than the ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MB an image may be` };
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          read += file.size;
          return { index, bytes };
        } catch (error) {
          return { index, error: `it could not be read (${(error as Error).message})` };
        }
      };
      const queue: Promise<FileBytes>[] = [];
      let next = 0;
      while (next < indices.length || queue.length > 0) {
        while (queue.length < READ_AHEAD && next < indices.length) queue.push(load(indices[next++]));
        yield await queue.shift()!;
      }
    },
  };
}
