/** Toast notifications: a live region that screen readers announce; errors stay until dismissed. */
import { useSyncExternalStore } from 'react';

export interface Note {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

let notes: Note[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function notify(text: string, kind: Note['kind'] = 'info'): void {
  const id = nextId++;
  notes = [...notes, { id, text, kind }];
  emit();
  if (kind === 'info') setTimeout(() => dismiss(id), 4000);
}

export function dismiss(id: number): void {
  notes = notes.filter((n) => n.id !== id);
  emit();
}

export function Notifications() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => notes,
  );
  return (
    <div className="toasts" role="status" aria-live="polite">
      {list.map((n) => (
        <div key={n.id} className={`toast toast-${n.kind}`} role={n.kind === 'error' ? 'alert' : undefined}>
          <span>{n.text}</span>
          <button type="button" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
