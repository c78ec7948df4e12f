import { describe, expect, it } from 'vitest';
import { USAGE_PRIVATE_TEST, USAGE_PUBLIC_TEST, USAGE_TRAINING } from '../dataset/face-format';
import { classFolderOrder, emotionOfFolder, ownClassesProblem, planUsage, readFolderLayout, usageOfFileName } from './folder-layout';

describe('readFolderLayout', () => {
  it('reads Kaggle\u2019s layout at any depth, with synonyms and any case', () => {
    const layout = readFolderLayout([
      'fer2013/',
      'fer2013/train/Angry/Training_1.jpg',
      'fer2013/train/happiness/Training_2.jpg',
      'fer2013/test/SURPRISED/PublicTest_3.jpg',
      'fer2013/test/neutral/PrivateTest_4.png',
      'fer2013/test/neutral/.DS_Store',
      '__MACOSX/fer2013/train/angry/._Training_1.jpg',
      'fer2013/README.txt',
    ]);
    expect(layout.faces.map((face) => [face.path.split('/').pop(), face.label, face.folderSplit, face.nameUsage])).toEqual([
      ['Training_1.jpg', 0, 'train', 0],
      ['Training_2.jpg', 3, 'train', 0],
      ['PublicTest_3.jpg', 5, 'test', 1],
      ['PrivateTest_4.png', 6, 'test', 2],
    ]);
    expect(layout.outsideClassFolders).toEqual(['fer2013/README.txt']);
    expect(layout.unknownFolders).toEqual([]);
  });

  it('reports class folders it does not know, with counts, and skips them when asked', () => {
    const paths = ['train/contempt/a.jpg', 'train/contempt/b.jpg', 'train/sad/c.jpg', 'a.jpg'];
    expect(readFolderLayout(paths).unknownFolders).toEqual([{ folder: 'contempt', files: 2 }]);
    const skipping = readFolderLayout(paths, { skipFolders: ['Contempt'] });
    expect(skipping.unknownFolders).toEqual([]);
    expect(skipping.skippedByFolder).toEqual([{ folder: 'contempt', files: 2 }]);
    expect(skipping.faces.map((face) => face.label)).toEqual([4]);
    expect(skipping.outsideClassFolders).toEqual(['a.jpg']);
  });

  it('reads every class folder as a class of its own when asked: named as given, alphabetical, one class per name in any case', () => {
    const paths = [
      'pets/train/owl/1.png',
      'pets/train/Dog/2.png',
      'pets/train/cat/3.png',
      'pets/test/CAT/4.png',
      'pets/test/dog/5.png',
      'pets/val/Owl/6.png',
      'pets/README.md',
      'pets/train/notes.txt',
    ];
    const mine = readFolderLayout(paths, { ownClasses: true });
    expect(mine.ownClasses).toEqual(['cat', 'Dog', 'owl']);
    expect(mine.classFolders).toEqual([{ folder: 'cat', files: 2 }, { folder: 'Dog', files: 2 }, { folder: 'owl', files: 2 }]);
    expect(mine.faces.map((face) => [face.path.split('/').pop(), face.label, face.folderSplit])).toEqual([
      ['1.png', 2, 'train'],
      ['2.png', 1, 'train'],
      ['3.png', 0, 'train'],
      ['4.png', 0, 'test'],
      ['5.png', 1, 'test'],
      ['6.png', 2, 'validation'],
    ]);
    expect(mine.unknownFolders).toEqual([]);
    expect(mine.outsideClassFolders).toEqual(['pets/README.md', 'pets/train/notes.txt']);
    // Without the person's word the same folders are unknown, and emotion folders are FER2013's.
    const asked = readFolderLayout(paths);
    expect(asked.ownClasses).toBeNull();
    expect(asked.unknownFolders.map(({ folder }) => folder)).toEqual(['cat', 'Dog', 'owl']);
    expect(asked.faces).toEqual([]);
    // Emotion folders among own classes are classes like the others, named as given.
    expect(readFolderLayout(['Happy/a.png', 'happy/b.png', 'cat/c.png'], { ownClasses: true }).ownClasses).toEqual(['cat', 'Happy']);
    expect(readFolderLayout(['x/cat/a.png', 'x/dog/b.png', 'x/owl/c.png'], { ownClasses: true, skipFolders: ['OWL'] }).ownClasses).toEqual(['cat', 'dog']);
  });

  it('orders own classes alphabetically ignoring case, numbers by value', () => {
    expect(['class10', 'Class2', 'banana', 'apple', 'class1'].sort(classFolderOrder)).toEqual(['apple', 'banana', 'class1', 'Class2', 'class10']);
  });

  it('takes 2 to 20 own classes, each with a name a model can keep', () => {
    const folders = (n: number) => Array.from({ length: n }, (_, k) => ({ folder: `c${k}`, files: 1 }));
    expect(ownClassesProblem(folders(2))).toBeNull();
    expect(ownClassesProblem(folders(20))).toBeNull();
    expect(ownClassesProblem(folders(1))).toBe('there is one class folder (c0/), and a model needs 2 to 20 classes: put each class\u2019s images in a folder of its own');
    expect(ownClassesProblem(folders(21))).toBe('there are 21 class folders, and a model takes 2 to 20 classes: merge or remove some folders');
    expect(ownClassesProblem([{ folder: 'a', files: 1 }, { folder: 'b'.repeat(61), files: 1 }])).toMatch(/^the folder name b{20}\u2026 is longer than the 60 characters/);
  });

  it('matches every synonym the issue lists', () => {
    const names = ['anger', 'angry', 'disgusted', 'disgust', 'fearful', 'fear', 'happiness', 'happy', 'sadness', 'sad', 'surprised', 'surprise', 'Neutral'];
    expect(names.map(emotionOfFolder)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(emotionOfFolder('contempt')).toBeNull();
    expect(usageOfFileName('privatetest_12.jpg')).toBe(USAGE_PRIVATE_TEST);
    expect(usageOfFileName('Train_12.jpg')).toBeNull();
  });
});

describe('planUsage', () => {
  const face = (label: number, folderSplit: 'train' | 'validation' | 'test' | null, nameUsage: number | null = null) => ({ source: 0, path: '', label, folderSplit, nameUsage });

  it('keeps FER2013\u2019s split exactly when every file name carries it', () => {
    const plan = planUsage([face(0, 'train', 0), face(1, 'test', 1), face(2, 'test', 2)], 1);
    expect(Array.from(plan.usage)).toEqual([0, 1, 2]);
    expect(plan.hasUsage).toBe(true);
  });

  it('holds out a seeded 10 % of each class of train/ for validation when there is no val/', () => {
    const faces = [...Array.from({ length: 100 }, () => face(3, 'train')), ...Array.from({ length: 20 }, () => face(1, 'train')), face(3, 'test')];
    const plan = planUsage(faces, 7);
    const count = (from: number, to: number, usage: number) => Array.from(plan.usage.subarray(from, to)).filter((u) => u === usage).length;
    expect(count(0, 100, USAGE_PUBLIC_TEST)).toBe(10);
    expect(count(100, 120, USAGE_PUBLIC_TEST)).toBe(2);
    expect(plan.usage[120]).toBe(USAGE_PRIVATE_TEST);
    expect(Array.from(planUsage(faces, 7).usage)).toEqual(Array.from(plan.usage)); // reproducible
    expect(Array.from(planUsage(faces, 8).usage)).not.toEqual(Array.from(plan.usage));
    expect(plan.description).toMatch(/seed 7/);
  });

  it('uses val/ when there is one, and has no split of its own without test/', () => {
    expect(Array.from(planUsage([face(0, 'train'), face(0, 'validation'), face(0, 'test')], 1).usage)).toEqual([USAGE_TRAINING, USAGE_PUBLIC_TEST, USAGE_PRIVATE_TEST]);
    const alone = planUsage([face(0, null), face(1, 'train')], 1);
    expect(alone.hasUsage).toBe(false);
    expect(alone.description).toMatch(/no test\/ folder/);
  });
});
