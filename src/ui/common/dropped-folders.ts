// Runs on the page: the files inside a dragged folder (File and Directory Entries API) or a folder picked with
// <input webkitdirectory>, each with its path relative to what was dropped.
import type { FolderFile } from '../../workers/dataset-protocol';

export interface DroppedFolder {
  name: string;
  files: FolderFile[];
}

/** All files under a directory entry, depth first; readEntries hands them out in batches. */
async function filesUnder(directory: FileSystemDirectoryEntry, into: FolderFile[]): Promise<void> {
  const reader = directory.createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const entry of batch) {
      if (entry.isDirectory) await filesUnder(entry as FileSystemDirectoryEntry, into);
      else {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        into.push({ path: entry.fullPath.replace(/^\//, ''), file });
      }
    }
  }
}

/**
 * The folder in a drop, or null when the drop holds files only. Must be called in the drop handler itself:
 * the items are gone once it returns.
 */
export function droppedFolder(data: DataTransfer): Promise<DroppedFolder> | null {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry?.() ?? null);
  const directory = entries.find((entry): entry is FileSystemDirectoryEntry => entry?.isDirectory === true);
  if (!directory) return null;
  return (async () => {
    const files: FolderFile[] = [];
    await filesUnder(directory, files);
    return { name: directory.name, files };
  })();
}

/** The files of a folder picked with <input webkitdirectory> (paths start with the folder's name). */
export function pickedFolder(list: FileList): DroppedFolder | null {
  const files = Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
  if (files.length === 0) return null;
  return { name: files[0].path.split('/')[0], files };
}
