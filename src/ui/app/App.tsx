// Runs on the page: the app shell: header, screen tabs, and the state shared between screens.
import { useState } from 'react';
import { defaultSplitOptions, type SplitOptions } from '../../core/dataset/splits';
import { DatasetScreen } from '../dataset/DatasetScreen';
import { useDatasetLoader } from '../dataset/useDatasetLoader';
import { TestingScreen } from '../testing/TestingScreen';
import { TrainingScreen } from '../training/TrainingScreen';
import { useTrainingRun } from '../training/useTrainingRun';
import { useActiveModel } from './useActiveModel';

const SCREENS = [
  { id: 'data', title: '1 · Data' },
  { id: 'train', title: '2 · Train' },
  { id: 'try', title: '3 · Try it' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

export function App() {
  const loader = useDatasetLoader();
  const [split, setSplit] = useState<SplitOptions>(defaultSplitOptions);
  const [seedFaithful, setSeedFaithful] = useState(false);
  const [screen, setScreen] = useState<ScreenId>('data');
  const training = useTrainingRun();
  const activeModel = useActiveModel();

  return (
    <div className="app">
      <header className="app-header">
        <h1>FER Trainer</h1>
        <p>Facial emotion recognition, trained in your browser. Nothing leaves this machine.</p>
        <nav className="tabs" role="tablist" aria-label="Screens">
          {SCREENS.map(({ id, title }) => (
            <button key={id} type="button" role="tab" aria-selected={screen === id} onClick={() => setScreen(id)}>
              {title}
            </button>
          ))}
        </nav>
      </header>
      {/* Screens stay mounted while hidden, so running work and charts survive switching. */}
      <main>
        <div role="tabpanel" hidden={screen !== 'data'}>
          <DatasetScreen loader={loader} split={split} seedFaithful={seedFaithful} onSplit={setSplit} onSeedFaithful={setSeedFaithful} />
        </div>
        <div role="tabpanel" hidden={screen !== 'train'}>
          <TrainingScreen dataset={loader.state.dataset} split={split} seedFaithful={seedFaithful} run={training} onShowData={() => setScreen('data')} />
        </div>
        <div role="tabpanel" hidden={screen !== 'try'}>
          <TestingScreen bundle={activeModel?.bundle ?? null} />
        </div>
      </main>
    </div>
  );
}
