/**
 * Typed errors shared by every HushCart module. They carry a stable string `code` and a message that says
 * what to do, and cross the worker boundary as plain `{name, code, message}` objects.
 */
export type ErrorCode =
  | 'catalog/fetch-failed'
  | 'catalog/invalid'
  | 'catalog/not-found'
  | 'store/unavailable'
  | 'store/invalid-event'
  | 'store/invalid-import'
  | 'store/paused'
  | 'store/no-consent'
  | 'store/quota'
  | 'engine/no-backend'
  | 'engine/backend-unavailable'
  | 'engine/cancelled'
  | 'engine/failed'
  | 'api/not-ready'
  | 'api/invalid-argument'
  | 'shop-pack/invalid-input';

export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
}

export class HushCartError extends Error {
  override readonly name = 'HushCartError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message };
  }

  static from(e: unknown, fallback: ErrorCode = 'engine/failed'): HushCartError {
    if (e instanceof HushCartError) return e;
    if (isSerializedError(e)) return new HushCartError(e.code, e.message);
    const message = e instanceof Error ? e.message : String(e);
    return new HushCartError(fallback, message, { cause: e });
  }
}

export function isSerializedError(e: unknown): e is SerializedError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'HushCartError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}
