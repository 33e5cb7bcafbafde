import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

// The security headers of every answer: the HTML and assets of the screen, the API, and the
// Socket.IO endpoint (its handshake and polling answers; service.ts). The Content-Security-
// Policy is the backstop behind the screens' escaping (the DataV boards take HTML): scripts
// only from this origin, no inline script, nothing framed, no plugin; inline styles
// are allowed, as React, ECharts and DataV set style attributes; canvases and WebGL (the 3D
// view) need images from data: and blob:. Socket.IO's WebSocket is same-origin ('self').
// 'unsafe-eval' is there for echarts-gl alone: its compositor compiles size expressions with
// `Function(...)` (the 3D view fails with "Invalid expression." without it). Injected markup
// still runs nothing: no inline script, no event-handler attribute, no foreign script source.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

/** Adds the security headers to a header object (Socket.IO's `headers` hook). */
export function addSecurityHeaders(headers: OutgoingHttpHeaders | Record<string, string>): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) (headers as Record<string, string>)[k] = v;
}

/**
 * Whether a request's Origin is this site: the same scheme and host. `null` (sandboxed frames,
 * file: pages, some redirects) and any other scheme are not. No Origin at all is a client
 * that is not a browser (or a same-origin GET): tokens travel in a header, never a cookie.
 */
export function sameOrigin(origin: string, host: string | undefined, protocol: string): boolean {
  if (!host || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === `${protocol}:` && url.host === host && origin === `${url.protocol}//${url.host}`;
}

/**
 * The Origin check of a Socket.IO handshake (allowRequest): this host, over http or https (a
 * TLS proxy in front changes the scheme the streamer sees); `null` and other schemes refused.
 */
export function socketOriginAllowed(req: IncomingMessage & { headers: IncomingHttpHeaders }): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return sameOrigin(origin, req.headers.host, 'http') || sameOrigin(origin, req.headers.host, 'https');
}

/** Whether the request carries the configured bearer token (constant time). */
export function hasToken(authorization: string | undefined, token: string): boolean {
  if (!token || !authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice(7).trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
