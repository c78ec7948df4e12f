// Runs on the page: takes a CSV by drag-and-drop or a file picker, or starts the demo data.
import { useRef, useState } from 'react';

interface DropZoneProps {
  onFile: (file: File) => void;
  onDemo: () => void;
  busy: boolean;
}

export function DropZone({ onFile, onDemo, busy }: DropZoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
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
        <button type="button" className="secondary" onClick={onDemo} disabled={busy}>
          Use demo data
        </button>
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
