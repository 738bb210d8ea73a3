import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendLostError, setBackendLostCheck } from './device-loss';
import { runEpochs } from './epochs';

afterEach(() => setBackendLostCheck(() => false));

describe('a lost device in the shared epoch loop', () => {
  it('stops any trainer before its next batch with BackendLostError, leaking nothing', async () => {
    await tf.setBackend('cpu');
    let steps = 0;
    let lost = false;
    setBackendLostCheck(() => lost);
    const before = tf.memory().numTensors;
    const run = runEpochs({
      n: 64,
      epochs: 3,
      batchSize: 8,
      seed: 1,
      jobId: 'j',
      signal: new AbortController().signal,
      step: () => {
        steps++;
        if (steps === 5) lost = true;
        return tf.scalar(1);
      },
    });
    await expect(run).rejects.toBeInstanceOf(BackendLostError);
    expect(steps).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
