import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { idleRetrainer } from './idle-retrain';

const now = (run: () => void) => run();

describe('idle retrainer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retrains once enough events arrived and the shopper has been quiet; each event restarts the wait', async () => {
    let pending = 0;
    const retrain = vi.fn(async () => void (pending = 0));
    const r = idleRetrainer(
      { threshold: 3, quietMs: 1000, pending: async () => pending, canStart: () => true, retrain },
      now,
    );
    for (let k = 0; k < 3; k++) {
      pending++;
      r.poke();
      await vi.advanceTimersByTimeAsync(600); // not quiet long enough yet
    }
    expect(retrain).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(retrain).toHaveBeenCalledTimes(1);
    pending = 2;
    r.poke();
    await vi.advanceTimersByTimeAsync(2000);
    expect(retrain).toHaveBeenCalledTimes(1); // below the threshold
  });

  it('waits while something else trains, runs one retrain at a time, and stops when disposed', async () => {
    let busy = true;
    let finish: () => void = () => undefined;
    const retrain = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const r = idleRetrainer(
      { threshold: 1, quietMs: 100, pending: async () => 5, canStart: () => !busy, retrain },
      now,
    );
    r.poke();
    await vi.advanceTimersByTimeAsync(350);
    expect(retrain).not.toHaveBeenCalled();
    busy = false;
    await vi.advanceTimersByTimeAsync(150);
    expect(retrain).toHaveBeenCalledTimes(1);
    expect(r.running).toBe(true);
    r.poke();
    await vi.advanceTimersByTimeAsync(150);
    expect(retrain).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.running).toBe(false);
    r.dispose();
    r.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(retrain).toHaveBeenCalledTimes(1);
  });
});
