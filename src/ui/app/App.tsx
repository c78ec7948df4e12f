// Runs on the page: the app shell: header, screen tabs, and the state shared between screens.
import { useCallback, useState } from 'react';
import { defaultSplitOptions, type SplitOptions } from '../../core/dataset/splits';
import { DatasetScreen } from '../dataset/DatasetScreen';
import { AppUpdates } from './AppUpdates';
import { useDatasetLoader } from '../dataset/useDatasetLoader';
import { EvaluationScreen } from '../evaluation/EvaluationScreen';
import { useEvaluationRun } from '../evaluation/useEvaluationRun';
import { ModelsScreen } from '../models/ModelsScreen';
import { useSavedModels } from '../models/useSavedModels';
import { TryItScreen } from '../try-it/TryItScreen';
import { TrainingScreen } from '../training/TrainingScreen';
import { useTrainingRun } from '../training/useTrainingRun';
import { useActiveModel } from './useActiveModel';

const SCREENS = [
  { id: 'data', title: '1 · Data' },
  { id: 'train', title: '2 · Train' },
  { id: 'evaluate', title: '3 · Evaluate' },
  { id: 'models', title: '4 · Models' },
  { id: 'try', title: '5 · Try it' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

export function App() {
  const loader = useDatasetLoader();
  const [split, setSplit] = useState<SplitOptions>(defaultSplitOptions);
  const [seedFaithful, setSeedFaithful] = useState(false);
  const [screen, setScreen] = useState<ScreenId>('data');
  const training = useTrainingRun();
  const activeModel = useActiveModel();
  const savedModels = useSavedModels();
  const evaluation = useEvaluationRun();
  // The model the Evaluate screen shows: picked there or sent from the Models screen (null = the active one).
  const [evaluateModelId, setEvaluateModelId] = useState<string | null>(null);
  const evaluateModel = useCallback((id: string) => {
    setEvaluateModelId(id);
    setScreen('evaluate');
  }, []);

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
      <AppUpdates />
      {/* Screens stay mounted while hidden, so running work and charts survive switching. */}
      <main>
        <div role="tabpanel" hidden={screen !== 'data'}>
          <DatasetScreen loader={loader} split={split} seedFaithful={seedFaithful} onSplit={setSplit} onSeedFaithful={setSeedFaithful} />
        </div>
        <div role="tabpanel" hidden={screen !== 'train'}>
          <TrainingScreen dataset={loader.state.dataset} stored={loader.state.dataset !== null && loader.state.storedFingerprint === loader.state.dataset.fingerprint} split={split} seedFaithful={seedFaithful} run={training} onShowData={() => setScreen('data')} />
        </div>
        <div role="tabpanel" hidden={screen !== 'evaluate'}>
          <EvaluationScreen
            dataset={loader.state.dataset}
            split={split}
            saved={savedModels}
            run={evaluation}
            modelId={evaluateModelId}
            onModelId={setEvaluateModelId}
            onShowData={() => setScreen('data')}
            onShowModels={() => setScreen('models')}
          />
        </div>
        <div role="tabpanel" hidden={screen !== 'models'}>
          <ModelsScreen saved={savedModels} onEvaluate={evaluateModel} />
        </div>
        <div role="tabpanel" hidden={screen !== 'try'}>
          <TryItScreen classifier={activeModel?.classifier ?? null} active={screen === 'try'} />
        </div>
      </main>
    </div>
  );
}
