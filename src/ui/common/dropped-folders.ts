// Runs on the page: the files inside a dragged folder (File and Directory Entries API) or a folder picked with
// <input webkitdirectory>, each with its path relative to what was dropped.
import type { FolderFile } from '../../workers/dataset-protocol';

export interface DroppedFolder {
  name: string;
  files: FolderFile[];
}

/** A file entry's File. */
const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** All files under a directory entry, depth first; readEntries hands them out in batches. */
async function filesUnder(directory: FileSystemDirectoryEntry, into: FolderFile[]): Promise<void> {
  const reader = directory.createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const entry of batch) {
      if (entry.isDirectory) await filesUnder(entry as FileSystemDirectoryEntry, into);
      else into.push({ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) });
    }
  }
}

/**
 * The folders in a drop, as one folder (with any loose files dropped beside them), or null when the drop holds
 * files only. Several folders dropped together (FER+'s FER2013Train/, FER2013Valid/ and FER2013Test/, say) keep
 * their own names as the first part of each path. Must be called in the drop handler itself: the items are
 * gone once it returns.
 */
export function droppedFolder(data: DataTransfer): Promise<DroppedFolder> | null {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry?.() ?? null).filter((entry): entry is FileSystemEntry => entry !== null);
  const directories = entries.filter((entry): entry is FileSystemDirectoryEntry => entry.isDirectory);
  if (directories.length === 0) return null;
  return (async () => {
    const files: FolderFile[] = [];
    for (const entry of entries) {
      if (entry.isDirectory) await filesUnder(entry as FileSystemDirectoryEntry, files);
      else files.push({ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) });
    }
    return { name: directories.map((directory) => directory.name).join(' + '), files };
  })();
}

/** The files of a folder picked with <input webkitdirectory> (paths start with the folder's name). */
export function pickedFolder(list: FileList): DroppedFolder | null {
  const files = Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
  if (files.length === 0) return null;
  return { name: files[0].path.split('/')[0], files };
}
