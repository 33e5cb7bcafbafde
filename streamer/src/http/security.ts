import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { join } from 'node:path';

// The security headers of every answer: the HTML and assets of the screen, the API, and the
// Socket.IO endpoint (its handshake and polling answers; service.ts). The Content-Security-
// Policy is the backstop behind the screens' escaping (the DataV boards take HTML): scripts
// only from this origin, no inline script but the screen's own (by hash, below), nothing
// framed, no plugin; inline styles are allowed, as React, ECharts and DataV set style
// attributes; canvases and WebGL (the 3D view) need images from data: and blob:. Socket.IO's
// WebSocket is same-origin ('self'). 'unsafe-eval' is there for echarts-gl alone: its
// compositor compiles size expressions with `Function(...)` (the 3D view fails with "Invalid
// expression." without it). Injected markup still runs nothing: no other inline script, no
// event-handler attribute, no foreign script source.

// The screen's legacy bundle (old wall PCs, screen/vite.config.ts) needs a few inline scripts
// in index.html: the check for a modern browser and the fallback that loads the legacy bundle.
// They are allowed by their sha256 hashes, read from the built index.html when the streamer
// starts (inlineScriptHashes), never by 'unsafe-inline'.

/** The Content-Security-Policy, allowing the inline scripts with these hashes ('sha256-…'). */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ["script-src 'self' 'unsafe-eval'", ...scriptHashes.map((h) => `'${h}'`)].join(' '),
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
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The security headers, with the CSP allowing the inline scripts with these hashes. */
export function securityHeaders(scriptHashes: readonly string[] = []): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(scriptHashes),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'X-Permitted-Cross-Domain-Policies': 'none',
  };
}

export const SECURITY_HEADERS = securityHeaders();

/**
 * The CSP source hashes ('sha256-…', without quotes) of the inline scripts of an HTML page: the
 * text between `<script …>` and `</script>` of every script without a `src`, as the browser
 * hashes it (UTF-8, byte for byte).
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [, attrs, body] = m;
    if (/(?:^|\s)src\s*=/i.test(attrs!) || body === '') continue;
    hashes.add(`sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}`);
  }
  return [...hashes];
}

/** The hashes of the inline scripts of the built screen in `dir` (none when it is not built). */
export function screenScriptHashes(dir: string): string[] {
  const index = join(dir, 'index.html');
  return existsSync(index) ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];
}

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
