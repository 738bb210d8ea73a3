/**
 * One tab at a time trains a given model (Web Locks, per database and model id): a second tab that wants the same
 * model waits, then finds the model the first one saved and loads it instead of training it again. Without Web
 * Locks (old browsers, tests in Node) the work just runs.
 */
export async function withTrainingLock<T>(key: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return work();
  const name = `hushcart-train:${key}`;
  const ran = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? { value: await work() } : null));
  if (ran) return ran.value;
  onWait();
  return locks.request(name, () => work());
}
