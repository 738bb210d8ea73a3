/** A long engine job started from a button: its progress, its result, and its failure shown to the shopper. */
import { useCallback, useState } from 'react';
import type { ProgressCallback } from '../../api/types';
import { notify } from '../notifications';
import type { JobProgressState } from './JobControls';

export function useJob<T>(run: (onProgress: ProgressCallback) => Promise<T>, what: string) {
  const [result, setResult] = useState<T | null>(null);
  const [progress, setProgress] = useState<JobProgressState | null>(null);
  const start = useCallback(async () => {
    setProgress({ fraction: 0, message: 'starting…' });
    try {
      setResult(await run((p) => setProgress({ fraction: p.fraction, message: p.message })));
    } catch (e) {
      notify(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setProgress(null);
    }
  }, [run, what]);
  return { result, progress, start };
}
