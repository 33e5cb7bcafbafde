import type { NextFunction, Request, Response } from 'express';
import { displayUser } from '../auth/displays.ts';
import { allowedScopes, type User } from '../auth/user.ts';
import { forbidden, unauthorized } from '../errors.ts';
import type { HttpContext } from './context.ts';

// Bearer-token authentication. The token is an opaque session id (auth/sessions.ts); the user
// is read from the directory on every request, so a role or scope change applies at once
// (and ends the user's sessions: routes/write.ts). A session issued under the initial
// password may only change the password or log out, whatever the user's record says now.

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
    token?: string;
    /** The session was issued under the initial password. */
    initialSession?: boolean;
  }
}

export function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h || !h.startsWith('Bearer ')) return null;
  return h.slice(7).trim() || null;
}

/** Requires a signed-in, enabled user; one still on the initial password may only change it. */
export function requireUser(ctx: HttpContext, opts: { allowInitialPassword?: boolean } = {}) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = bearer(req);
      // A wall display's credential (auth/displays.ts): in memory, so Redis being down does not
      // turn a wall away.
      const display = token ? ctx.displays.resolve(token) : null;
      if (token && display) {
        // The password and logout routes (the only ones allowing the initial password) are a
        // person's session's: a display has neither.
        if (opts.allowInitialPassword)
          throw forbidden('a display credential has no password or session', 'display_read_only');
        req.user = displayUser(display, ctx.geo());
        req.token = token;
        req.initialSession = false;
        return next();
      }
      const session = token ? await ctx.sessions.resolve(token) : null;
      const user = session ? ctx.users.get(session.userId) : null;
      if (!token || !session || !user) throw unauthorized(token ? 'session expired or unknown' : 'login required');
      if (user.disabled) throw unauthorized('session expired or unknown');
      if ((user.must_change_password || session.initial) && !opts.allowInitialPassword) {
        throw forbidden(
          'the initial password must be changed first (POST /api/v1/auth/password)',
          'password_change_required',
        );
      }
      req.user = user;
      req.token = token;
      req.initialSession = session.initial;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** What a wall display may read (its wall's data); everything else is refused to it. */
export const DISPLAY_READS: ReadonlySet<string> = new Set([
  '/me',
  '/geo',
  '/snapshot',
  '/overview',
  '/rankings',
  '/alerts',
]);

/** A display's credential is read-only: no notices, no decisions, no administration. */
export function displayReadOnly(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user?.display) return next();
  if ((req.method === 'GET' || req.method === 'HEAD') && DISPLAY_READS.has(req.path)) return next();
  next(forbidden('a display credential may only read its wall', 'display_read_only'));
}

export function requireRole(...roles: User['role'][]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.user && roles.includes(req.user.role)) return next();
    next(forbidden(`only ${roles.join(' or ')} may do this`, 'role_required', { roles }));
  };
}

/** The user as the API shows it: never the password hash. */
export function publicUser(u: User) {
  return {
    user_id: u.user_id,
    phone: u.phone,
    name: u.name,
    role: u.role,
    dimensions: u.dimensions,
    districts: u.districts,
    scopes: allowedScopes(u),
    must_change_password: u.must_change_password,
    /** Always false for the signed-in user; the administrators' list shows who is disabled. */
    disabled: u.disabled,
    ...(u.display ? { display: u.display } : {}),
  };
}

export const userOf = (req: Request): User => {
  if (!req.user) throw unauthorized();
  return req.user;
};
