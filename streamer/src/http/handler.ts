import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { badRequest } from '../errors.ts';

/** Express 5 forwards rejected promises itself; this only types the async handler. */
export const route =
  (fn: (req: Request, res: Response) => Promise<void> | void): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    try {
      await fn(req, res);
    } catch (err) {
      next(err);
    }
  };

/** Parses input with a zod schema; a failure is a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const reasons = r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw badRequest(`invalid ${what}: ${reasons}`);
}
