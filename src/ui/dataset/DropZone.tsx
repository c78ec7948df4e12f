// Runs on the page: takes a CSV by drag-and-drop or a file picker, or starts the demo data.
import { useState } from 'react';
import { DEMO_SIZES, type DemoSize } from '../../core/demo/synthetic-faces';
import type { DroppedFolder } from '../common/dropped-folders';
import { FileDropZone } from '../common/FileDropZone';
import { formatInt } from '../common/format';

interface DropZoneProps {
  /** One file, or several dropped together (fer2013.csv with FER+'s fer2013new.csv). */
  onFiles: (files: File[]) => void;
  onFolder: (folder: DroppedFolder) => void;
  onDemo: (size: DemoSize) => void;
  busy: boolean;
}

const DEMO_TITLES: Record<DemoSize, string> = { tiny: 'tiny', small: 'small', large: 'large' };

function demoLabel(size: DemoSize): string {
  const o = DEMO_SIZES[size];
  return `${DEMO_TITLES[size]}: ${formatInt(o.training + o.publicTest + o.privateTest)} faces`;
}

export function DropZone({ onFiles, onFolder, onDemo, busy }: DropZoneProps) {
  const [demoSize, setDemoSize] = useState<DemoSize>('small');
  return (
    <FileDropZone
      onFiles={onFiles}
      multiple
      onFolder={onFolder}
      chooseFolderLabel="Choose image folder…"
      accept=".csv,text/csv,.gz,.tgz,.zip"
      chooseLabel="Choose file…"
      testId="drop-zone"
      inputTestId="file-input"
      extra={
        <>
          <button type="button" className="secondary" onClick={() => onDemo(demoSize)} disabled={busy}>
            Use demo data
          </button>
          <select aria-label="Demo size" value={demoSize} onChange={(e) => setDemoSize(e.target.value as DemoSize)}>
            {(Object.keys(DEMO_SIZES) as DemoSize[]).map((size) => (
              <option key={size} value={size}>
                {demoLabel(size)}
              </option>
            ))}
          </select>
        </>
      }
    >
      <p className="drop-title">
        Drop <code>fer2013.csv</code> here
      </p>
      <p className="muted">
        or Kaggle's download as it comes: <code>fer2013.tar.gz</code>, a <code>.zip</code> or a <code>.csv.gz</code>; or its image release (a
        zip or folder of <code>train/</code> and <code>test/</code> with one folder per emotion), or any folders of face photos named{' '}
        <code>angry</code>, <code>disgust</code>, <code>fear</code>, <code>happy</code>, <code>sad</code>, <code>surprise</code>,{' '}
        <code>neutral</code>; or 2 to 20 folders of your own classes, one folder per class (you confirm them before they load)
      </p>
      <p className="muted" data-testid="ferplus-drop-hint">
        FER+ crowd votes: drop <code>fer2013.csv</code> and Microsoft's <code>fer2013new.csv</code> together (or <code>fer2013new.csv</code> onto
        a loaded <code>fer2013.csv</code>), or FER+'s folders <code>FER2013Train/</code>, <code>FER2013Valid/</code>, <code>FER2013Test/</code> with
        their <code>label.csv</code> as a zip or folder.
      </p>
      <p className="muted">
        Kaggle FER2013 format: columns <code>emotion,pixels,Usage</code>, 48×48 gray faces. The file is read on this computer only; nothing is
        uploaded.
      </p>
    </FileDropZone>
  );
}
