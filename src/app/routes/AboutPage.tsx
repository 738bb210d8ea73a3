/** Data credits: the provenance and license of every data set in the store, from public/data/CREDITS.md. */
import { useEffect, useState } from 'react';
import { Markdown } from '../markdown';

export function AboutPage() {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    fetch(`${import.meta.env.BASE_URL}data/CREDITS.md`)
      .then((r) => {
        // A static host's SPA fallback answers missing files with index.html: that is not the credits.
        if (!r.ok || r.headers.get('content-type')?.includes('text/html'))
          throw new Error(`data/CREDITS.md is missing (${r.status} ${r.headers.get('content-type') ?? ''})`);
        return r.text();
      })
      .then((t) => alive && setText(t))
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, []);
  return (
    <div className="page prose" data-testid="credits">
      {error && <p className="error">The credits could not be loaded: {error}</p>}
      {!text && !error && <p>Loading credits…</p>}
      {text && <Markdown source={text} />}
    </div>
  );
}
