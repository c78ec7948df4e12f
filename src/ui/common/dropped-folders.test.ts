// droppedFolder on hand-made File and Directory Entries (what Chromium hands a drop handler): one folder, several
// folders dropped together (FER+'s three), loose files beside them, and a drop of files only.
import { describe, expect, it } from 'vitest';
import { droppedFolder } from './dropped-folders';

type Tree = { [name: string]: Tree | string };

/** A FileSystemEntry for `name` at `path` (the drop root is '/'); readEntries hands out two entries per batch. */
function entryOf(name: string, node: Tree | string, parent = ''): FileSystemEntry {
  const fullPath = `${parent}/${name}`;
  if (typeof node === 'string') {
    const file = new File([node], name);
    return { name, fullPath, isFile: true, isDirectory: false, file: (resolve: (file: File) => void) => resolve(file) } as unknown as FileSystemEntry;
  }
  const children = Object.entries(node).map(([child, value]) => entryOf(child, value, fullPath));
  return {
    name,
    fullPath,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let next = 0;
      return { readEntries: (resolve: (batch: FileSystemEntry[]) => void) => resolve(children.slice(next, (next += 2))) };
    },
  } as unknown as FileSystemEntry;
}

const drop = (top: Tree) => ({ items: Object.entries(top).map(([name, node]) => ({ webkitGetAsEntry: () => entryOf(name, node) })) }) as unknown as DataTransfer;

async function contents(folder: Awaited<ReturnType<typeof droppedFolder>>) {
  return { name: folder!.name, files: await Promise.all(folder!.files.map(async ({ path, file }) => [path, await file.text()])) };
}

describe('droppedFolder', () => {
  it('walks one dropped folder, every batch of every level, paths from the folder\u2019s name', async () => {
    const folder = await droppedFolder(drop({ faces: { train: { happy: { 'a.png': 'A', 'b.png': 'B', 'c.png': 'C' } }, test: { sad: { 'd.png': 'D' } } } }));
    expect(await contents(folder)).toEqual({
      name: 'faces',
      files: [
        ['faces/train/happy/a.png', 'A'],
        ['faces/train/happy/b.png', 'B'],
        ['faces/train/happy/c.png', 'C'],
        ['faces/test/sad/d.png', 'D'],
      ],
    });
  });

  it('takes every folder of a drop (FER+\u2019s three dragged together) and loose files beside them, not only the first', async () => {
    const folder = await droppedFolder(
      drop({
        FER2013Train: { 'label.csv': 'train votes', 'fer0.png': '0' },
        FER2013Valid: { 'label.csv': 'valid votes' },
        'notes.txt': 'n',
        FER2013Test: { 'label.csv': 'test votes' },
      }),
    );
    expect(await contents(folder)).toEqual({
      name: 'FER2013Train + FER2013Valid + FER2013Test',
      files: [
        ['FER2013Train/label.csv', 'train votes'],
        ['FER2013Train/fer0.png', '0'],
        ['FER2013Valid/label.csv', 'valid votes'],
        ['notes.txt', 'n'],
        ['FER2013Test/label.csv', 'test votes'],
      ],
    });
  });

  it('is null for a drop of files only (the file path handles those)', () => {
    expect(droppedFolder(drop({ 'fer2013.csv': 'x', 'fer2013new.csv': 'y' }))).toBeNull();
  });
});
