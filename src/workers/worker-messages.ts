// What every worker's messages share. Types only.

/** Sends an event from a worker, transferring the listed buffers. */
export type Post<E> = (event: E, transfer?: Transferable[]) => void;

/** Every request and event names the run it belongs to (null only for an error no run can be blamed for). */
export interface RunMessage {
  type: string;
  runId: string | null;
}
