/**
 * Background retraining: once enough new shopper events have arrived since the model was trained, and the
 * shopper has been quiet for a while (and the browser is idle), the model is retrained in the engine worker.
 * One retrain at a time, never while another model trains; each new event restarts the quiet period.
 */
export interface IdleRetrainOptions {
  /** New events since the last training that make a retrain worthwhile. */
  threshold: number;
  /** Quiet time after the last event before a retrain starts (ms). */
  quietMs: number;
  /** Number of new events since the model in service was trained. */
  pending(): Promise<number>;
  /** False while something else trains (checked again after the next quiet period). */
  canStart(): boolean;
  retrain(): Promise<unknown>;
}

export interface IdleRetrainer {
  /** Call after each recorded event. */
  poke(): void;
  readonly running: boolean;
  dispose(): void;
}

type IdleCallback = (run: () => void) => void;

const whenIdle: IdleCallback = (run) => {
  const ric = (globalThis as { requestIdleCallback?: (f: () => void, o?: { timeout: number }) => number })
    .requestIdleCallback;
  if (ric) ric(run, { timeout: 5000 });
  else setTimeout(run, 0);
};

export function idleRetrainer(o: IdleRetrainOptions, idle: IdleCallback = whenIdle): IdleRetrainer {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let disposed = false;
  const check = async () => {
    timer = null;
    if (disposed || running) return;
    if (!o.canStart()) return poke();
    if ((await o.pending()) < o.threshold) return;
    running = true;
    try {
      await o.retrain();
    } finally {
      running = false;
    }
  };
  const poke = () => {
    if (disposed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => idle(() => void check().catch(() => undefined)), o.quietMs);
  };
  return {
    poke,
    get running() {
      return running;
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
