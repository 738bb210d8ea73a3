/** The network monitor's report: what the page and the engine worker fetched, any request to another origin flagged. */
import type { CspViolation, SeenRequest } from '../runtime/requests';
import type { NetworkReport } from './types';

type Realm = { requests: SeenRequest[]; violations: CspViolation[] };

export function networkReport(page: Realm, worker: Realm, origin: string): NetworkReport {
  const foreign = (url: string) =>
    !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url, origin).origin !== origin;
  const requests = [
    ...page.requests.map((r) => ({ ...r, realm: 'page' as const, foreign: foreign(r.url) })),
    ...worker.requests.map((r) => ({ ...r, realm: 'engine' as const, foreign: foreign(r.url) })),
  ];
  const violations = [
    ...page.violations.map((v) => ({ ...v, realm: 'page' as const })),
    ...worker.violations.map((v) => ({ ...v, realm: 'engine' as const })),
  ];
  // A blocked eval or inline script is a violation but no request; a blocked URL is a request that was stopped.
  const blockedRequests = violations.filter((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v.blocked) && foreign(v.blocked));
  return {
    requests,
    violations,
    origin,
    foreign: requests.filter((r) => r.foreign).length + blockedRequests.length,
  };
}
