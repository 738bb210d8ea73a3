/** My data: what HushCart has stored about you on this device (and only here). */
import { Link } from 'react-router-dom';
import { useApp } from '../context';
import { useEvents } from '../hooks';
import { TastePanel } from '../components/TastePanel';
import { MyDataControls } from '../components/MyDataControls';

export function MyDataPage() {
  const { catalog } = useApp();
  const events = useEvents(200);
  return (
    <div className="page">
      <h1>My data</h1>
      <p>
        HushCart keeps your activity in this browser's IndexedDB, on this device only. It is never sent to a server: the
        page is served with a Content-Security-Policy that allows no connection to any other site, and the
        recommendation models run here.
      </p>
      <MyDataControls />
      <TastePanel />
      <h2>Your recorded activity</h2>
      {events.length === 0 ? (
        <p className="empty" data-testid="events-empty">
          Nothing recorded yet. <Link to="/">Browse the store</Link> and your views, ratings and cart will show here.
        </p>
      ) : (
        <table className="table" data-testid="events-table">
          <caption className="muted">The {events.length} most recent events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Product</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.ts).toLocaleString()}</td>
                <td>{e.type}</td>
                <td>{e.itemId ? (catalog.get(e.itemId)?.title ?? e.itemId) : (e.text ?? '')}</td>
                <td>{e.value ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
