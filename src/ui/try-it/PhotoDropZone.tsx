// Runs on the page: takes one or many photos by drag-and-drop or a file picker.
import { FileDropZone } from '../common/FileDropZone';

interface PhotoDropZoneProps {
  onFiles: (files: File[]) => void;
  disabled: boolean;
}

/** Image files in a dropped folder, by name (other files are left out). */
const PHOTO_NAME = /\.(jpe?g|png|webp)$/i;

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
      onFolder={(folder) => onFiles(folder.files.filter(({ path }) => PHOTO_NAME.test(path)).map(({ path, file }) => new File([file], path.split('/').pop()!, { type: file.type })))}
      chooseFolderLabel="Choose a folder…"
    >
      <p className="drop-title">Drop photos here</p>
      <p className="muted">
        JPEG, PNG or WebP, one or many, or a folder of them: every face goes into one table you can sort and save as
        CSV. Faces are found and classified on this computer; the photos are not uploaded.
      </p>
    </FileDropZone>
  );
}
