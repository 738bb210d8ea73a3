/** Running jobs by id, so a caller on the other side of the worker boundary can cancel them. */
import { HushCartError } from '../errors';

export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  start(jobId: string): AbortSignal {
    if (this.running.has(jobId)) throw new HushCartError('api/invalid-argument', `job '${jobId}' is already running`);
    const c = new AbortController();
    this.running.set(jobId, c);
    return c.signal;
  }

  finish(jobId: string): void {
    this.running.delete(jobId);
  }

  cancel(jobId: string): void {
    this.running.get(jobId)?.abort();
  }

  get size(): number {
    return this.running.size;
  }
}

export function throwIfCancelled(signal: AbortSignal, jobId: string): void {
  if (signal.aborted) throw new HushCartError('engine/cancelled', `job '${jobId}' was cancelled`);
}

/** Yields to the event loop so cancel messages and progress get through between batches. */
export const yieldToLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
