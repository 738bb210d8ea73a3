/** The engine worker: serves `createEngine()` over comlink. All tfjs work in the app happens here. */
import * as Comlink from 'comlink';
import { noteRequest } from '../runtime/jobs';
import { installErrorTransfer } from '../shared/comlink-errors';
import { createEngine } from './engine';
import type { Engine } from './types';

/**
 * Calls that are jobs themselves (trainings, evaluations, embedding the catalog): every other call is the page
 * waiting for an answer, and each one answered tells the trainings to let the next through first (runtime/jobs.ts).
 */
const JOB = /^(train|tune|evaluate|embedCatalog|matmul)/;
/** The engine, every call but a job noting the request it answered. */
function servingFirst(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof key !== 'string' || JOB.test(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await method.apply(target, args);
        } finally {
          noteRequest();
        }
      };
    },
  });
}

installErrorTransfer();
Comlink.expose(servingFirst(createEngine()));
