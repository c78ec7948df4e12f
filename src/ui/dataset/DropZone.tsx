// Runs on the page: takes a CSV by drag-and-drop or a file picker, or starts the demo data.
import { useRef, useState } from 'react';
import { DEMO_SIZES, type DemoSize } from '../../core/demo/synthetic-faces';
import { formatInt } from '../common/format';

interface DropZoneProps {
  onFile: (file: File) => void;
  onDemo: (size: DemoSize) => void;
  busy: boolean;
}

const DEMO_TITLES: Record<DemoSize, string> = { tiny: 'tiny', small: 'small', large: 'large' };

function demoLabel(size: DemoSize): string {
  const o = DEMO_SIZES[size];
  return `${DEMO_TITLES[size]}: ${formatInt(o.training + o.publicTest + o.privateTest)} faces`;
}

export function DropZone({ onFile, onDemo, busy }: DropZoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [demoSize, setDemoSize] = useState<DemoSize>('small');
  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) onFile(file);
      }}
    >
      <p className="drop-title">Drop <code>fer2013.csv</code> here</p>
      <p className="muted">
        Kaggle FER2013 format: columns <code>emotion,pixels,Usage</code>, 48×48 gray faces. The file is read on
        this computer only; nothing is uploaded.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => inputRef.current?.click()}>
          Choose file…
        </button>
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
      </div>
      <input
        ref={inputRef}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // picking the same file again still fires change
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
