/**
 * What a JavaScript realm (the page, or the engine worker) fetched, from the browser's own records: resource
 * timing entries, and Content-Security-Policy violations (requests the policy blocked). No DOM needed: works in
 * a worker. The network monitor on My data lists both realms' requests.
 */
export interface SeenRequest {
  url: string;
  /** How it was requested: fetch, script, img, css, other. */
  initiator: string;
  /** Bytes over the network (0 from the cache or for inline data:/blob: URLs). */
  bytes: number;
  /** Milliseconds since this realm started. */
  at: number;
}

export interface CspViolation {
  blocked: string;
  directive: string;
  at: number;
}

const violations: CspViolation[] = [];
let listening = false;

/** Starts recording CSP violations in this realm (once; those before it are in the console only). */
export function watchViolations(): void {
  if (listening || typeof addEventListener !== 'function') return;
  listening = true;
  addEventListener('securitypolicyviolation', (e) => {
    const v = e as SecurityPolicyViolationEvent;
    violations.push({ blocked: v.blockedURI, directive: v.effectiveDirective, at: v.timeStamp });
  });
}

/** Every request this realm made that the browser recorded, and the CSP violations seen since watching. */
export function seenRequests(): { requests: SeenRequest[]; violations: CspViolation[] } {
  const entries = typeof performance?.getEntriesByType === 'function' ? performance.getEntriesByType('resource') : [];
  return {
    requests: (entries as PerformanceResourceTiming[]).map((e) => ({
      url: e.name,
      initiator: e.initiatorType,
      bytes: e.transferSize ?? 0,
      at: e.startTime,
    })),
    violations: [...violations],
  };
}
