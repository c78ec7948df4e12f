// Runs on the page: the "Try it" screen — classify faces in your own photos or from the webcam.
import type { ClassifierBundle } from '../../core/model/classifier-bundle';

export interface TestingScreenProps {
  /** The active model, or null when none is trained or imported yet. */
  bundle: ClassifierBundle | null;
}

export function TestingScreen({ bundle }: TestingScreenProps) {
  return (
    <div className="screen">
      <section className="card">
        <h2>Try it on your photos</h2>
        <p className="muted">{bundle ? `Model: ${bundle.name}` : 'Train or import a model first.'}</p>
      </section>
    </div>
  );
}
