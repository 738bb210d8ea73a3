/** The Lab's matrix-multiply benchmark: a 512 x 512 product on this device's backend, checked against float64. */
import { useState } from 'react';
import type { MatmulResult } from '../../engine/types';
import { useApp } from '../context';
import { useEngineState } from '../hooks';
import { notify } from '../notifications';

export function MatmulPanel() {
  const { api } = useApp();
  const { status } = useEngineState();
  const [matmul, setMatmul] = useState<MatmulResult | null>(null);
  const [measuring, setMeasuring] = useState(false);
  const doMatmul = async () => {
    setMeasuring(true);
    try {
      setMatmul(await api.diagnostics.matmul(512, 3));
    } catch (e) {
      notify(`Benchmark failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setMeasuring(false);
    }
  };

  return (
    <section aria-labelledby="mm-h" className="panel">
      <h2 id="mm-h">Matrix multiply</h2>
      <p className="muted">
        A 512 × 512 matrix product, timed after a warm-up and checked against a float64 reference.
      </p>
      <button type="button" onClick={() => void doMatmul()} disabled={measuring || !status}>
        Measure
      </button>
      {matmul && (
        <p data-testid="matmul-result">
          {matmul.backend}: {matmul.medianMs.toFixed(1)} ms, {matmul.gflops.toFixed(2)} GFLOP/s (max error{' '}
          {matmul.maxAbsError.toExponential(1)})
        </p>
      )}
    </section>
  );
}
