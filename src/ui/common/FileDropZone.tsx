// Runs on the page: a drop area plus a "choose" button for files — the one drag-and-drop implementation
// behind the data-set, photo and model-import drop zones.
import { useRef, useState, type ReactNode } from 'react';
import { droppedFolder, pickedFolder, type DroppedFolder } from './dropped-folders';

interface FileDropZoneProps {
  onFiles: (files: File[]) => void;
  /** The input's accept list (extensions and MIME types). */
  accept: string;
  multiple?: boolean;
  disabled?: boolean;
  chooseLabel: string;
  /** Style of the choose button. */
  chooseSecondary?: boolean;
  testId: string;
  inputTestId: string;
  /** Title and explanation shown in the area. */
  children: ReactNode;
  /** More controls next to the choose button. */
  extra?: ReactNode;
  /** Takes dragged folders too, and offers a "choose folder" button with this label. */
  onFolder?: (folder: DroppedFolder) => void;
  chooseFolderLabel?: string;
}

export function FileDropZone({ onFiles, accept, multiple = false, disabled = false, chooseLabel, chooseSecondary, testId, inputTestId, children, extra, onFolder, chooseFolderLabel }: FileDropZoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const folderInputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const take = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (!disabled && files.length > 0) onFiles(multiple ? files : files.slice(0, 1));
  };
  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const folder = onFolder && !disabled ? droppedFolder(e.dataTransfer) : null;
        if (folder) void folder.then(onFolder).catch((error: unknown) => console.warn('could not read the dropped folder', error));
        else take(e.dataTransfer.files);
      }}
    >
      {children}
      <div className="button-row">
        <button type="button" className={chooseSecondary ? 'secondary' : undefined} disabled={disabled} onClick={() => inputRef.current?.click()}>
          {chooseLabel}
        </button>
        {onFolder && (
          <button type="button" className="secondary" disabled={disabled} onClick={() => folderInputRef.current?.click()}>
            {chooseFolderLabel ?? 'Choose folder…'}
          </button>
        )}
        {extra}
      </div>
      {onFolder && (
        <input
          ref={folderInputRef}
          type="file"
          hidden
          data-testid={`${inputTestId}-folder`}
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            const folder = e.target.files && pickedFolder(e.target.files);
            if (folder && !disabled) onFolder(folder);
            e.target.value = '';
          }}
        />
      )}
      <input
        ref={inputRef}
        type="file"
        accept={accept}
        multiple={multiple}
        hidden
        data-testid={inputTestId}
        onChange={(e) => {
          const files = e.target.files;
          take(files);
          e.target.value = ''; // picking the same file again still fires change
        }}
      />
    </div>
  );
}
