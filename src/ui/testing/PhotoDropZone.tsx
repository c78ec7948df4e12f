// Runs on the page: takes one or many photos by drag-and-drop or a file picker.
import { useRef, useState } from 'react';

interface PhotoDropZoneProps {
  onFiles: (files: File[]) => void;
  disabled: boolean;
}

export function PhotoDropZone({ onFiles, disabled }: PhotoDropZoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid="photo-drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled && e.dataTransfer.files.length > 0) onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <p className="drop-title">Drop photos here</p>
      <p className="muted">
        JPEG, PNG or WebP, one or many. Faces are found and classified on this computer; the photos are not
        uploaded.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => inputRef.current?.click()} disabled={disabled}>
          Choose photos…
        </button>
      </div>
      <input
        ref={inputRef}
        type="file"
        accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
        multiple
        hidden
        data-testid="photo-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = ''; // picking the same files again still fires change
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}
