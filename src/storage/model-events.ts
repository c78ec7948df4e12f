// Runs on the page and in workers: tells every thread and tab that the saved models (or the active one) changed.

const CHANNEL = 'fer-trainer-models';

/** Call after saving, deleting, renaming or activating a model. */
export function notifyModelsChanged(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Calls `listener` whenever another thread or tab changed the models; returns an unsubscribe function. */
export function onModelsChanged(listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = () => listener();
  return () => channel.close();
}
