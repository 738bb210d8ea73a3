/**
 * The runtime an engine runs on: the backend it chose (probing each, or reusing this device's remembered choice), a
 * GPU device's loss noticed and moved past (the next backend chosen, the lost one never again this session), and
 * jobs: cancellable by id, their errors typed, and trainings that run again on the next backend when the device is
 * lost under them.
 */
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import { chooseBackend, type ProbeOutcome } from './backend-select';
import { activate, configureWasm, deviceFingerprint, probe, webgpuDevice } from './backends';
import { BackendLostError } from './embedding-trainer';
import { JobRegistry } from './jobs';
import {
  BACKENDS,
  type BackendName,
  type BackendPreference,
  type EngineStatus,
  type InitOptions,
  type ProgressCallback,
  type RememberedSelection,
} from './types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a training is run with: the job's id, its cancel signal, and where it reports progress. */
export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
}

export class BackendRuntime {
  private readonly jobs = new JobRegistry();
  private preference: BackendPreference = 'auto';
  private current: BackendName | null = null;
  private candidates: EngineStatus['candidates'] = [];
  private readonly lost: EngineStatus['lost'] = [];
  /** Backends that lost their device: never chosen again in this session. */
  private readonly dead = new Set<BackendName>();
  private selectionMs = 0;
  private lostFlag = false;
  private selecting: Promise<void> | null = null;
  private selection: RememberedSelection | null = null;
  private fromMemory = false;

  async init(options: InitOptions): Promise<EngineStatus> {
    configureWasm(options.wasmPaths);
    if (!(options.preference === 'auto' && options.remembered && (await this.reuse(options.remembered))))
      await this.select(options.preference);
    return this.status();
  }

  /** Uses a remembered 'auto' selection when this device still looks the same and its backend still starts. */
  private async reuse(r: RememberedSelection): Promise<boolean> {
    const t0 = performance.now();
    if (r.fingerprint !== (await deviceFingerprint())) return false;
    if (await activate(r.chosen)) return false;
    this.preference = 'auto';
    this.current = r.chosen;
    const when = new Date(r.at).toISOString().slice(0, 10);
    this.candidates = r.candidates.map((c) => ({ ...c, reason: `${c.reason} [measured ${when}]` }));
    this.selection = r;
    this.fromMemory = true;
    this.lostFlag = false;
    this.watchDevice();
    this.selectionMs = performance.now() - t0;
    return true;
  }

  async status(): Promise<EngineStatus> {
    const m = tf.memory();
    return {
      ready: this.current !== null,
      backend: this.current,
      preference: this.preference,
      candidates: this.candidates.map((c) => ({ ...c })),
      lost: this.lost.map((l) => ({ ...l })),
      selectionMs: this.selectionMs,
      selection: this.selection,
      fromMemory: this.fromMemory,
      tfjsVersion: tf.version.tfjs,
      memory: { numTensors: m.numTensors, numBytes: m.numBytes },
    };
  }

  async setBackend(preference: BackendPreference): Promise<EngineStatus> {
    if (this.jobs.size > 0)
      throw new HushCartError('api/invalid-argument', 'wait for running jobs to finish before switching backend');
    await this.select(preference);
    return this.status();
  }

  /** Probes backends (all of them for 'auto'; the requested one first otherwise) and activates the choice. */
  private async select(preference: BackendPreference): Promise<void> {
    const run = async () => {
      const t0 = performance.now();
      this.preference = preference;
      const fingerprint = deviceFingerprint();
      const order = BACKENDS.filter((b) => !this.dead.has(b));
      const outcomes: ProbeOutcome[] = [];
      if (preference !== 'auto' && order.includes(preference)) {
        const forced = await probe(preference);
        outcomes.push(forced);
        const ok = !forced.failure;
        for (const b of order) if (b !== preference) outcomes.push(ok ? { backend: b, skipped: true } : await probe(b));
      } else {
        for (const b of order) outcomes.push(await probe(b));
      }
      for (const b of this.dead) {
        const why = this.lost.find((l) => l.backend === b)?.reason ?? 'device lost';
        outcomes.push({ backend: b, failure: `device lost earlier in this session (${why})` });
      }
      outcomes.sort((a, b) => BACKENDS.indexOf(a.backend) - BACKENDS.indexOf(b.backend));
      const selection = chooseBackend(outcomes, preference);
      this.candidates = selection.candidates;
      if (!selection.chosen) {
        this.current = null;
        throw new HushCartError(
          'engine/no-backend',
          `no tfjs backend works here: ${selection.candidates.map((c) => `${c.backend}: ${c.reason}`).join('; ')}`,
        );
      }
      const failure = await activate(selection.chosen);
      if (failure) throw new HushCartError('engine/backend-unavailable', `${selection.chosen}: ${failure}`);
      this.current = selection.chosen;
      // Only a full 'auto' measurement on a healthy device is worth remembering.
      this.selection =
        preference === 'auto' && this.dead.size === 0
          ? {
              fingerprint: await fingerprint,
              chosen: selection.chosen,
              candidates: selection.candidates,
              at: Date.now(),
            }
          : null;
      this.fromMemory = false;
      this.lostFlag = false;
      this.watchDevice();
      this.selectionMs = performance.now() - t0;
    };
    // One selection at a time (a device loss may trigger one while another is running).
    const prev = this.selecting ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(run);
    this.selecting = next;
    try {
      await next;
    } finally {
      if (this.selecting === next) this.selecting = null;
    }
  }

  private watchDevice(): void {
    const device = webgpuDevice();
    if (!device) return;
    void device.lost.then((info) => {
      if (this.current !== 'webgpu' || webgpuDevice() !== device) return;
      const reason = `GPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
      this.lost.push({ backend: 'webgpu', reason, at: Date.now() });
      this.dead.add('webgpu');
      this.lostFlag = true;
      // Move on at once so the UI's status is right even when no job is running.
      void this.select(this.preference === 'webgpu' ? 'auto' : this.preference).catch(() => undefined);
    });
  }

  /** After a device loss: wait for re-selection to finish, then jobs resume on the new backend. */
  async recover(): Promise<BackendName> {
    const from = this.current;
    if (this.selecting) await this.selecting.catch(() => undefined);
    if (this.current === from || this.current === null)
      await this.select(this.preference === from ? 'auto' : this.preference);
    if (!this.current) throw new HushCartError('engine/no-backend', 'no backend left after the GPU device was lost');
    return this.current;
  }

  requireBackend(): BackendName {
    if (!this.current) throw new HushCartError('api/not-ready', 'the engine has no backend yet: call init() first');
    return this.current;
  }

  /**
   * Whether an error means the device was lost: it surfaces as the loop's own check or as a failed read, and the
   * device's lost promise may land a moment after the read fails.
   */
  async lostDevice(e: unknown): Promise<boolean> {
    if (e instanceof BackendLostError || this.lostFlag) return true;
    await sleep(50);
    return this.lostFlag;
  }

  /** Whether the current backend's device was lost (read by every training loop before each batch). */
  get deviceLost(): boolean {
    return this.lostFlag;
  }

  /**
   * A training job that survives a lost GPU device: the shared epoch loop stops at the next batch, the engine moves
   * to the next backend, and the training runs again there from its first epoch, with the same seed (trainers keep
   * their state in tensors of the lost backend; the reference trainer resumes from a checkpoint instead). It needs a
   * backend (api/not-ready before init); `run` gets the job's context: its id, signal and progress callback.
   */
  async training<T>(
    jobId: string,
    onProgress: ProgressCallback | undefined,
    run: (ctx: JobContext) => Promise<T>,
  ): Promise<T> {
    this.requireBackend();
    return this.job(jobId, async (signal) => {
      const ctx: JobContext = { jobId, signal, ...(onProgress ? { onProgress } : {}) };
      for (;;) {
        try {
          return await run(ctx);
        } catch (e) {
          if (!(await this.lostDevice(e))) throw e;
          await this.recover();
        }
      }
    });
  }

  /** Runs a cancellable job under `jobId`; its errors leave as HushCartError. */
  async job<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.jobs.start(jobId);
    try {
      return await run(signal);
    } catch (e) {
      throw HushCartError.from(e);
    } finally {
      this.jobs.finish(jobId);
    }
  }

  cancel(jobId: string): void {
    this.jobs.cancel(jobId);
  }

  /** Destroys the WebGPU device on purpose (the Lab's and the tests' device-loss drill); false when there is none. */
  loseDevice(): boolean {
    const device = webgpuDevice();
    if (!device) return false;
    device.destroy();
    return true;
  }
}
