/**
 * The search page's query parameters as they are in the address now, read at the moment of an event: two controls
 * changing them in quick succession (typing in the header box, then the personalised switch) must not build on a
 * render that has not caught up, or one change would undo the other.
 */
export function currentSearchParams(): URLSearchParams {
  // The store routes by hash (#/search?q=…).
  const hash = location.hash;
  const at = hash.indexOf('?');
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
}
