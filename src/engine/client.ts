/**
 * The UI side of the engine boundary: starts the worker and returns the same `Engine` interface, so callers
 * cannot tell a worker engine from an in-thread one. Progress callbacks travel as comlink proxies.
 * tfjs is never imported here: it loads with the worker, after first paint.
 */
import * as Comlink from 'comlink';
import { installErrorTransfer } from '../shared/comlink-errors';
import type { Engine } from './types';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Same-origin URLs of the wasm binaries (never a CDN). */
export const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedUrl, location.href).href,
};

export function startWorkerEngine(): Engine {
  installErrorTransfer();
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hushcart-engine' });
  const remote = Comlink.wrap<Engine>(worker);
  // One generic client, not a copy of the method list: every call goes to the worker, with function arguments
  // (progress callbacks) passed as comlink proxies. Only dispose does more: it also ends the worker.
  const dispose = async () => {
    await remote.dispose();
    remote[Comlink.releaseProxy]();
    worker.terminate();
  };
  const call =
    (name: string) =>
    (...args: unknown[]) =>
      (remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]?.(
        ...args.map((a) => (typeof a === 'function' ? Comlink.proxy(a) : a)),
      );
  return new Proxy({} as Engine, {
    // Not a thenable: `then` is no engine method (awaiting the engine must not call the worker).
    get: (_target, key) =>
      key === 'dispose' ? dispose : typeof key === 'string' && key !== 'then' ? call(key) : undefined,
  });
}
