/** The engine worker: serves `createEngine()` over comlink. All tfjs work in the app happens here. */
import * as Comlink from 'comlink';
import { installErrorTransfer } from './comlink-errors';
import { createEngine } from './engine';

installErrorTransfer();
Comlink.expose(createEngine());
