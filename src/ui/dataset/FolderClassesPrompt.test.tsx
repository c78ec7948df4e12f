import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FolderClassChoice } from '../../core/image-folders/load-image-folders';
import { FolderClassesPrompt } from './FolderClassesPrompt';

afterEach(cleanup);

const folders = (...names: string[]) => names.map((folder, k) => ({ folder, files: 10 + k }));

describe('FolderClassesPrompt', () => {
  it('asks to train on folders of other names as the person\u2019s own classes, in alphabetical order', () => {
    const choice: FolderClassChoice = { unknown: folders('cat', 'dog', 'owl'), classes: folders('cat', 'dog', 'owl'), ownClassesProblem: null, canSkip: false };
    const chosen: string[] = [];
    render(<FolderClassesPrompt source="pets.zip" choice={choice} loadedName={null} onOwnClasses={() => chosen.push('own')} onSkip={() => chosen.push('skip')} />);
    expect(screen.getByTestId('folder-classes-question').textContent).toBe('pets.zip: These folders are not FER2013\u2019s emotions: cat, dog, owl. Train on them as 3 classes of your own?');
    expect(screen.getByTestId('folder-classes-order').textContent).toContain('Classes in alphabetical order of folder name: cat, dog, owl (10 / 11 / 12 files)');
    expect(screen.queryByTestId('skip-unknown-folders')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Train on 3 classes of my own' }));
    expect(chosen).toEqual(['own']);
  });

  it('beside emotion folders, offers both: all folders as own classes, or skip the strays', () => {
    const choice: FolderClassChoice = { unknown: folders('contempt'), classes: folders('angry', 'contempt', 'happy'), ownClassesProblem: null, canSkip: true };
    const chosen: string[] = [];
    render(<FolderClassesPrompt source="faces" choice={choice} loadedName="fer2013.csv" onOwnClasses={() => chosen.push('own')} onSkip={() => chosen.push('skip')} />);
    const text = screen.getByTestId('folder-classes').textContent!;
    expect(text).toContain('This folder is not one of FER2013\u2019s emotions: contempt. Train on all 3 folders (angry, contempt, happy) as 3 classes of your own, or skip contempt/ and load the rest as FER2013\u2019s emotions?');
    expect(text).toContain('Nothing changed so far: fer2013.csv is still loaded.');
    fireEvent.click(screen.getByRole('button', { name: 'Skip contempt/ and load the rest' }));
    expect(chosen).toEqual(['skip']);
  });

  it('says why folders cannot be own classes, and offers no button for it', () => {
    const choice: FolderClassChoice = { unknown: folders('cats'), classes: folders('cats'), ownClassesProblem: 'there is one class folder (cats/), and a model needs 2 to 20 classes', canSkip: false };
    render(<FolderClassesPrompt source="cats.zip" choice={choice} loadedName={null} onOwnClasses={() => {}} onSkip={() => {}} />);
    expect(screen.getByTestId('folder-classes-question').textContent).toContain('It cannot be classes of your own either: there is one class folder (cats/), and a model needs 2 to 20 classes.');
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
