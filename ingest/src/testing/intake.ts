import { ALL_SCHOOLS, issueSourceKey, type Store } from '@edu/analytics';

// The HTTP intake wants a source key on every request (contract v1.1): tests and benches issue
// one straight into the store, as an administrator would in the console.

/** Issues a source key for `schools` (all of them by default) and returns it in clear. */
export async function issueTestSourceKey(
  store: Store,
  schools: readonly string[] = [ALL_SCHOOLS],
  name = 'test source',
): Promise<string> {
  const { key } = await issueSourceKey(store, { name, schools, by: 'test', now: Date.now() });
  return key;
}

/** POSTs a body to the intake at `url` (…/v1/events) with the key, as a school system would. */
export function postToIntake(url: string, key: string | null, body: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return fetch(url, { method: 'POST', headers, body });
}
