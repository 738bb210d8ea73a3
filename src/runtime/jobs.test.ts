import { describe, expect, it } from 'vitest';
import { GRACE_MS, noteRequest, slicer, yieldToLoop } from './jobs';

/** A message queued now (as a shopper's request reaches the worker); `ran()` says whether it has been handled. */
function queuedRequest(): { ran: () => boolean; close: () => void } {
  let ran = false;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => (ran = true);
  ch.port2.postMessage(null);
  return { ran: () => ran, close: () => ch.port1.close() };
}

describe('serving first: the time-sliced yield of a training', () => {
  it('lets the requests queued before it through', async () => {
    const r = queuedRequest();
    await yieldToLoop();
    expect(r.ran()).toBe(true);
    r.close();
  });

  it('yields only once a slice has passed since its last yield', async () => {
    let t = 0;
    const slice = slicer(8, () => t);
    t = 5;
    const early = queuedRequest();
    await slice(); // under a slice: the training goes on at once
    expect(early.ran()).toBe(false);
    t = 9;
    await slice(); // a slice has passed: the queued request runs first
    expect(early.ran()).toBe(true);
    early.close();
  });

  it('after a request, waits at least GRACE_MS for the next before it goes on', async () => {
    const slice = slicer(0);
    noteRequest();
    const t0 = performance.now();
    await slice();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 1);
  });
});
