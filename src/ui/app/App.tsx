// Runs on the page: the app shell: header, screen tabs, and the state shared between screens.
import { useState } from 'react';
import { defaultSplitOptions, type SplitOptions } from '../../core/dataset/splits';
import { DatasetScreen } from '../dataset/DatasetScreen';
import { useDatasetLoader } from '../dataset/useDatasetLoader';

export function App() {
  const loader = useDatasetLoader();
  const [split, setSplit] = useState<SplitOptions>(defaultSplitOptions);
  const [seedFaithful, setSeedFaithful] = useState(false);

  return (
    <div className="app">
      <header className="app-header">
        <h1>FER Trainer</h1>
        <p>Facial emotion recognition, trained in your browser. Nothing leaves this machine.</p>
      </header>
      <main>
        <DatasetScreen loader={loader} split={split} seedFaithful={seedFaithful} onSplit={setSplit} onSeedFaithful={setSeedFaithful} />
      </main>
    </div>
  );
}
