import { Link } from 'react-router-dom';

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>There is no {what} here.</p>
      <Link to="/">Back to the store</Link>
    </div>
  );
}
