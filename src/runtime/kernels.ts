/**
 * Kernels tfjs 4.22 lacks or runs slowly, registered once per backend.
 * UnsortedSegmentSum is the gradient of `gather`, i.e. of every embedding lookup: the wasm backend has no
 * kernel at all (training fails), and the cpu backend's is ~200x slower than this plain loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface ValueBackend {
  readSync(dataId: object): unknown;
}
interface CpuLikeBackend extends ValueBackend {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
interface WasmLikeBackend extends ValueBackend {
  makeOutput(shape: number[], dtype: 'float32', memoryOffset: undefined, values: Float32Array): TensorInfo;
}

/** out[segmentIds[r], :] += x[r, :] for every row r. Pure, exported for tests. */
export function segmentSum(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  rowSize: number,
  numSegments: number,
): Float32Array {
  const out = new Float32Array(numSegments * rowSize);
  for (let r = 0; r < ids.length; r++) {
    const seg = ids[r] as number;
    if (seg < 0 || seg >= numSegments) continue;
    const o = seg * rowSize;
    const s = r * rowSize;
    for (let c = 0; c < rowSize; c++) out[o + c] = (out[o + c] as number) + (x[s + c] as number);
  }
  return out;
}

function segmentSumKernel(
  makeOutput: (backend: unknown, shape: number[], values: Float32Array) => TensorInfo,
): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = Number((attrs as { numSegments: number }).numSegments);
    const b = backend as ValueBackend;
    const values = b.readSync(x.dataId) as ArrayLike<number>;
    const ids = b.readSync(segmentIds.dataId) as ArrayLike<number>;
    const rowShape = x.shape.slice(segmentIds.shape.length);
    const rowSize = rowShape.reduce((a, d) => a * d, 1);
    return makeOutput(backend, [numSegments, ...rowShape], segmentSum(values, ids, rowSize, numSegments));
  };
}

const registered = new Set<string>();

/** Registers the extra kernels for a backend (idempotent). */
export function registerKernels(backendName: string): void {
  if (registered.has(backendName)) return;
  let kernelFunc: KernelFunc | null = null;
  if (backendName === 'cpu')
    kernelFunc = segmentSumKernel((b, shape, v) => (b as CpuLikeBackend).makeTensorInfo(shape, 'float32', v));
  else if (backendName === 'wasm')
    kernelFunc = segmentSumKernel((b, shape, v) => (b as WasmLikeBackend).makeOutput(shape, 'float32', undefined, v));
  if (kernelFunc) {
    const config: KernelConfig = { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc };
    if (tf.getKernel(tf.UnsortedSegmentSum, backendName)) tf.unregisterKernel(tf.UnsortedSegmentSum, backendName);
    tf.registerKernel(config);
  }
  registered.add(backendName);
}
