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

/**
 * Yields to the event loop: every message already queued (a shopper's request, a cancel) runs before the caller
 * goes on. A MessageChannel task, not setTimeout, which browsers clamp to 4 ms once timers nest.
 */
export const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

/** How long a training runs before it lets queued requests through (serving never waits longer, but for a batch). */
export const SLICE_MS = 8;

/**
 * A time-sliced yield for long loops in the engine worker (serving first): it yields once `sliceMs` have passed
 * since its last yield, so requests queued behind a training wait at most about one slice plus the step in progress;
 * the cost is one task hop per slice. After a request, the loop waits while more follow (noteRequest).
 */
export function slicer(sliceMs = SLICE_MS, now = () => performance.now()): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < sliceMs) return;
    await yieldToLoop();
    // A request was just answered: a page asks for several lists at once (search, then For you, then Similar), so
    // the training waits while they keep coming, GRACE_MS after the last.
    while (performance.now() - lastRequest < GRACE_MS) await new Promise((r) => setTimeout(r, GRACE_MS));
    last = now();
  };
}

/** How long after a shopper's request a training waits for the next one before it goes on. */
export const GRACE_MS = 16;
let lastRequest = -Infinity;

/** Told by the engine worker each time it answers a request from the page (search, recommendations, status, …). */
export function noteRequest(at = performance.now()): void {
  lastRequest = at;
}
