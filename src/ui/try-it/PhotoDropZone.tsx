// Runs on the page: takes one or many photos by drag-and-drop or a file picker.
import { FileDropZone } from '../common/FileDropZone';

interface PhotoDropZoneProps {
  onFiles: (files: File[]) => void;
  disabled: boolean;
}

export function PhotoDropZone({ onFiles, disabled }: PhotoDropZoneProps) {
  return (
    <FileDropZone
      onFiles={onFiles}
      accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
      multiple
      disabled={disabled}
      chooseLabel="Choose photos…"
      testId="photo-drop-zone"
      inputTestId="photo-input"
    >
      <p className="drop-title">Drop photos here</p>
      <p className="muted">
        JPEG, PNG or WebP, one or many. Faces are found and classified on this computer; the photos are not
        uploaded.
      </p>
    </FileDropZone>
  );
}
