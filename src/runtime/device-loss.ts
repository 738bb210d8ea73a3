/**
 * A lost GPU device, as every training loop sees it: the engine tells the runtime how to know (its device-lost
 * flag), and the shared epoch loop checks before each batch, so any trainer stops at once with BackendLostError;
 * the engine then moves to the next backend and runs the training again there.
 */
export class BackendLostError extends Error {
  override readonly name = 'BackendLostError';
}

let isLost: () => boolean = () => false;

/** Set by the engine: how a loop learns that the backend's device is gone. */
export function setBackendLostCheck(check: () => boolean): void {
  isLost = check;
}

export function throwIfBackendLost(): void {
  if (isLost()) throw new BackendLostError('the backend device was lost');
}
