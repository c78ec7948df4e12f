// Pure: which image loader a set of image files needs, decided once for the dataset worker and the CLI. No DOM.
import { isFerPlusLayout, loadFerPlusFolders } from '../ferplus/load-folders';
import type { ImageFileSource } from '../image-folders/image-sources';
import { loadImageFolders, type DecodeImage, type LoadImageFoldersOptions, type ParsedImageFolders } from '../image-folders/load-image-folders';

/**
 * Faces from image files: FER+'s layout (FER2013Train/ FER2013Valid/ FER2013Test/ with their label.csv files:
 * FER+'s eight classes and votes; skipFolders and ownClasses do not apply), else class folders (FER2013's
 * emotions, or the person's own classes with `ownClasses`).
 */
export function loadImages(source: ImageFileSource, decode: DecodeImage, options: LoadImageFoldersOptions = {}): Promise<ParsedImageFolders> {
  if (isFerPlusLayout(source.paths)) {
    const { concurrency, onProgress, progressIntervalMs, signal } = options;
    return loadFerPlusFolders(source, decode, { concurrency, onProgress, progressIntervalMs, signal });
  }
  return loadImageFolders(source, decode, options);
}
