// Runs on the page: asks whether class folders that are not FER2013's emotions are the user's own classes
// (or, beside emotion folders, strays to skip). Nothing is loaded until they choose.
import { EXPECTED_FOLDERS, type ClassFolder } from '../../core/image-folders/folder-layout';
import type { FolderClassChoice } from '../../core/image-folders/load-image-folders';

interface FolderClassesPromptProps {
  /** What was dropped: a file or folder name. */
  source: string;
  choice: FolderClassChoice;
  /** The data set still in use, if any (nothing changes until the user chooses). */
  loadedName: string | null;
  onOwnClasses: () => void;
  onSkip: () => void;
}

const names = (folders: readonly ClassFolder[]) => folders.map(({ folder }) => folder).join(', ');
const paths = (folders: readonly ClassFolder[]) => folders.map(({ folder }) => `${folder}/`).join(', ');

export function FolderClassesPrompt({ source, choice, loadedName, onOwnClasses, onSkip }: FolderClassesPromptProps) {
  const { unknown, classes, ownClassesProblem, canSkip } = choice;
  const allUnknown = unknown.length === classes.length;
  const one = unknown.length === 1;
  let question: string;
  if (ownClassesProblem !== null) question = `${one ? 'It' : 'They'} cannot be classes of your own either: ${ownClassesProblem}.`;
  else if (allUnknown) question = `Train on ${one ? 'it' : 'them'} as ${classes.length} classes of your own?`;
  else question = `Train on all ${classes.length} folders (${names(classes)}) as ${classes.length} classes of your own, or skip ${paths(unknown)} and load the rest as FER2013\u2019s emotions?`;

  return (
    <section className="card folder-classes" data-testid="folder-classes" aria-label={`Classes of ${source}`}>
      <p data-testid="folder-classes-question">
        <strong>{source}:</strong> {one ? 'This folder is not one of' : 'These folders are not'} FER2013’s emotions: {names(unknown)}. {question}
      </p>
      {ownClassesProblem === null && (
        <p className="muted" data-testid="folder-classes-order">
          Classes in alphabetical order of folder name: {names(classes)} ({classes.map(({ files }) => files.toLocaleString('en-US')).join(' / ')} files). Folders
          of the same name under train/, val/ and test/, in any case, are one class.
        </p>
      )}
      <div className="button-row">
        {ownClassesProblem === null && (
          <button type="button" onClick={onOwnClasses} data-testid="train-own-classes">
            Train on {classes.length} classes of my own
          </button>
        )}
        {canSkip && (
          <button type="button" onClick={onSkip} data-testid="skip-unknown-folders">
            Skip {paths(unknown)} and load the rest
          </button>
        )}
      </div>
      <p className="muted">
        Or rename {one ? 'it' : 'them'} after an emotion ({EXPECTED_FOLDERS.join(', ')}) and load again.
        {loadedName && ` Nothing changed so far: ${loadedName} is still loaded.`}
      </p>
    </section>
  );
}
