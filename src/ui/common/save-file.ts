// Runs on the page: saving what the app made (models, data sets) as files on the user's computer.

/** Saves blob parts as a download through a temporary object URL (revoked once the browser has taken it). */
export function saveDownload(name: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type SavePicker = (options: { suggestedName: string; types?: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;

/**
 * Writes chunks to a file as they are made: straight to disk through the File System Access API where the
 * browser has it (the user picks where), else gathered into one download.
 * @returns false when the user closed the save dialog.
 */
export async function saveChunks(name: string, chunks: Iterable<Uint8Array<ArrayBuffer>>, type: string, description: string): Promise<boolean> {
  const picker = (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (!picker) {
    saveDownload(name, [...chunks], type);
    return true;
  }
  let handle: FileSystemFileHandle;
  try {
    const extension = name.slice(name.lastIndexOf('.'));
    handle = await picker({ suggestedName: name, types: [{ description, accept: { [type]: [extension] } }] });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') return false;
    throw error;
  }
  const writable = await handle.createWritable();
  try {
    for (const chunk of chunks) await writable.write(chunk);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
  return true;
}
