// Runs in the training worker and on the page: training runs and their latest checkpoints in IndexedDB.
import { db, writeAtomically } from './db';
import type { RunRecord, RunSummary } from './run-record';

/**
 * Writes (replaces) a run and its checkpoint in one transaction: both land or neither does; a full
 * quota throws StorageFullError and the previous checkpoint stays.
 */
export async function saveRun(record: RunRecord): Promise<void> {
  const { checkpoint, ...rest } = record;
  const summary: RunSummary = { ...rest, checkpointEpoch: checkpoint?.state.epoch ?? 0 };
  const what = checkpoint ? `the checkpoint of epoch ${summary.checkpointEpoch}` : 'the record of the new run';
  await writeAtomically(['runs', 'checkpoints'], what, (tx, track) => {
    track(tx.objectStore('runs').put(summary));
    if (checkpoint) track(tx.objectStore('checkpoints').put(checkpoint, record.runId));
  });
}

/** A run with its latest checkpoint. */
export async function getRun(runId: string): Promise<RunRecord | undefined> {
  const database = await db();
  const summary = await database.get('runs', runId);
  if (!summary) return undefined;
  const { checkpointEpoch, ...rest } = summary;
  const checkpoint = checkpointEpoch > 0 ? ((await database.get('checkpoints', runId)) ?? null) : null;
  return { ...rest, checkpoint };
}

/** The most recently updated run that did not finish, if any (offered for resuming); without weights. */
export async function latestUnfinishedRun(): Promise<RunSummary | undefined> {
  const runs = await (await db()).getAllFromIndex('runs', 'updatedAt');
  return runs.reverse().find((run) => run.status === 'unfinished');
}

export async function deleteRun(runId: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['runs', 'checkpoints'], 'readwrite');
  await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('checkpoints').delete(runId), tx.done]);
}
