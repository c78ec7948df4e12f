// Runs on the page: the Data screen: load a CSV or the demo set, see counts, balance, samples and the mean face.
import { useMemo } from 'react';
import { statsFor } from '../../core/dataset/loaded-dataset';
import { splitClassCounts, splitDataset, type SplitOptions } from '../../core/dataset/splits';
import { ErrorBanner } from '../common/ErrorBanner';
import { ClassBalance } from './ClassBalance';
import { ClassMappingCard } from './ClassMappingCard';
import { CountsTable } from './CountsTable';
import { DatasetSummaryCard } from './DatasetSummaryCard';
import { DropZone } from './DropZone';
import { FerPlusVotesPanel } from './FerPlusVotesPanel';
import { FolderClassesPrompt } from './FolderClassesPrompt';
import { LoadProgress } from './LoadProgress';
import { SampleFaces } from './SampleFaces';
import { SplitControls } from './SplitControls';
import { StatsFaces } from './StatsFaces';
import type { DatasetLoader } from './useDatasetLoader';

interface DatasetScreenProps {
  loader: DatasetLoader;
  split: SplitOptions;
  seedFaithful: boolean;
  onSplit: (split: SplitOptions) => void;
  onSeedFaithful: (value: boolean) => void;
}

const USAGE_HEADERS = { train: 'Training (train)', validation: 'PublicTest (validation)', test: 'PrivateTest (test)' };
const SEED_HEADERS = { train: 'Train', validation: 'Validation', test: 'Test' };

export function DatasetScreen({ loader, split, seedFaithful, onSplit, onSeedFaithful }: DatasetScreenProps) {
  const { state, loadFiles, loadFolder, skipUnknownFolders, trainOnOwnClasses, loadDemo, cancel, remapClasses } = loader;
  const dataset = state.dataset;
  // Without a Usage column only the seed split makes sense.
  const strategy = dataset && !dataset.hasUsage ? 'seed' : split.strategy;
  const effectiveSplit = useMemo<SplitOptions>(() => ({ strategy, seed: split.seed }), [strategy, split.seed]);
  const indices = useMemo(() => (dataset ? splitDataset(dataset.buffers, effectiveSplit) : null), [dataset, effectiveSplit]);
  const counts = useMemo(() => (dataset && indices ? splitClassCounts(dataset.buffers.labels, dataset.buffers.labelSet.names.length, indices) : null), [dataset, indices]);
  const headers = effectiveSplit.strategy === 'usage' ? USAGE_HEADERS : SEED_HEADERS;
  const stats = dataset ? statsFor(dataset, effectiveSplit, seedFaithful) : null;

  return (
    <div className="screen dataset-screen">
      <DropZone onFiles={loadFiles} onFolder={(folder) => loadFolder(folder.name, folder.files)} onDemo={loadDemo} busy={state.status === 'running' && state.source === 'demo data'} />
      {state.status === 'running' && <LoadProgress state={state} onCancel={cancel} />}
      {state.status === 'cancelled' && <p className="muted" role="status">Loading {state.source} was cancelled.{dataset && ' The data set below is still loaded.'}</p>}
      {state.status === 'error' && state.error && !state.folderChoice && (
        <ErrorBanner
          title={`Could not load ${state.source}:`}
          message={state.error}
          hint={
            dataset
              ? `Nothing changed: ${dataset.name} is still loaded.`
              : 'Expected the Kaggle fer2013.csv (header emotion,pixels,Usage) or its image release (train/ and test/ folders of emotion folders). Try that, or the demo data.'
          }
        />
      )}
      {state.status === 'error' && state.folderChoice && (
        <FolderClassesPrompt
          source={state.source ?? 'what you dropped'}
          choice={state.folderChoice}
          loadedName={dataset?.name ?? null}
          onOwnClasses={trainOnOwnClasses}
          onSkip={skipUnknownFolders}
        />
      )}
      {!dataset && state.status !== 'running' && (
        <p className="muted empty-hint">
          No data set yet. Drop the Kaggle <code>fer2013.csv</code> (about 300 MB) or press <em>Use demo data</em> to try
          the app with small synthetic faces.
        </p>
      )}
      {dataset && counts && indices && stats && (
        <>
          <DatasetSummaryCard dataset={dataset} />
          <ClassMappingCard dataset={dataset} busy={state.status === 'running'} onChoose={(mapping) => remapClasses(dataset, mapping)} />
          {state.notKept && <ErrorBanner title={`${dataset.name} is loaded but not kept:`} message={state.notKept} testId="dataset-not-kept" />}
          <section className="card">
            <SplitControls split={effectiveSplit} seedFaithful={seedFaithful} hasUsage={dataset.hasUsage} onSplit={onSplit} onSeedFaithful={onSeedFaithful} />
          </section>
          <div className="two-columns">
            <section className="card">
              <h3>Rows per class and split</h3>
              <CountsTable counts={counts} headers={headers} labelSet={dataset.buffers.labelSet} />
            </section>
            <section className="card">
              <h3>Class balance</h3>
              <ClassBalance counts={counts} headers={headers} labelSet={dataset.buffers.labelSet} />
              <h3>Standardisation</h3>
              <StatsFaces stats={stats} rowsLabel={seedFaithful ? `all ${stats.rows} rows` : `${stats.rows} training rows`} />
            </section>
          </div>
          {dataset.buffers.votes && <FerPlusVotesPanel buffers={dataset.buffers} />}
          <section className="card">
            <h3>Sample training faces</h3>
            <SampleFaces buffers={dataset.buffers} rows={indices.train} />
          </section>
        </>
      )}
    </div>
  );
}
