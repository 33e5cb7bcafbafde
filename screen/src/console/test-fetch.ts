import { vi } from 'vitest';

// The component tests' one boundary: fetch, answered by path from a table of routes. Every
// call is recorded (method, path with query, headers, parsed body) for the assertions.

export interface Call {
  method: string;
  url: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Route = (call: Call) => { status: number; body: unknown } | undefined;

export function mockApi(routes: Record<string, Route | object>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const u = new URL(url, 'http://console.test');
      const call: Call = {
        method: init.method ?? 'GET',
        url,
        path: u.pathname,
        search: u.searchParams,
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const route = routes[`${call.method} ${call.path}`];
      const answer =
        typeof route === 'function'
          ? (route as Route)(call)
          : route === undefined
            ? undefined
            : { status: 200, body: route };
      const r = answer ?? { status: 404, body: { error: `no route ${call.method} ${call.path}`, code: 'not_found' } };
      return new Response(JSON.stringify(r.body), { status: r.status });
    }),
  );
  return calls;
}

/** A route that answers with this status and body. */
export const reply =
  (status: number, body: unknown): Route =>
  () => ({ status, body });
