/** The controls of a long engine job in the Lab: its progress bar, and an Evaluate button with it. */

export interface JobProgressState {
  fraction: number;
  message: string;
}

export function JobProgress({ progress, label }: { progress: JobProgressState | null; label: string }) {
  if (!progress) return null;
  return (
    <div className="progress">
      <progress value={progress.fraction} max={1} aria-label={label} />
      <span>{progress.message}</span>
    </div>
  );
}

/** Evaluate, disabled while running or until `needs` is met (then `needs` says what is missing). */
export function EvaluateControls({
  run,
  progress,
  progressLabel,
  needs,
}: {
  run: () => Promise<void>;
  progress: JobProgressState | null;
  progressLabel: string;
  needs?: string | null;
}) {
  return (
    <>
      <button type="button" className="primary" onClick={() => void run()} disabled={!!progress || !!needs}>
        Evaluate
      </button>
      {needs && <span className="muted small"> ({needs})</span>}
      <JobProgress progress={progress} label={progressLabel} />
    </>
  );
}
