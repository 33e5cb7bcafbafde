import type { ApiError } from './types.ts';

// The one place the screen talks HTTP: same origin, bearer token, JSON both ways, and every
// refusal turned into an ApiFailure carrying the server's reason and code.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

let token: string | null = null;
let onUnauthorized: () => void = () => {};

export const setToken = (t: string | null) => {
  token = t;
};
export const whenUnauthorized = (f: () => void) => {
  onUnauthorized = f;
};

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: text.slice(0, 200), code: 'bad_response' };
  }
  if (!res.ok) {
    const e = (parsed ?? {}) as Partial<ApiError> & Record<string, unknown>;
    // A refused login or pairing code is no session ending.
    if (res.status === 401 && !path.endsWith('/auth/login') && !path.endsWith('/displays/pair')) onUnauthorized();
    throw new ApiFailure(res.status, e.code ?? 'error', e.error ?? `HTTP ${res.status}`, e);
  }
  return parsed as T;
}
