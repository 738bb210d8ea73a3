/**
 * Makes errors thrown in the worker arrive as `HushCartError` with their `code` intact (comlink's own
 * handler keeps only name and message). Installed on both sides of the boundary.
 */
import * as Comlink from 'comlink';
import { HushCartError, type SerializedError } from '../errors';

interface Thrown {
  value: unknown;
}

let installed = false;
export function installErrorTransfer(): void {
  if (installed) return;
  const original = Comlink.transferHandlers.get('throw');
  if (!original) return;
  Comlink.transferHandlers.set('throw', {
    canHandle: (v: unknown): v is Thrown => original.canHandle(v),
    serialize: (v: unknown) => [{ error: HushCartError.from((v as Thrown).value).toJSON() }, []],
    deserialize: (s: unknown) => {
      const e = (s as { error: SerializedError }).error;
      throw new HushCartError(e.code, e.message);
    },
  });
  installed = true;
}
