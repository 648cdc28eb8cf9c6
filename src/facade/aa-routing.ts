// How A_A's Django REST framework views answered around the handlers themselves: methods,
// formats, suffixes and error bodies.
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../api/app-env.ts';
import { methodNotAllowed, notFound, toAaError } from './aa-errors.ts';

export type AaContext = Context<AppEnv>;
type AaHandler = (c: AaContext) => Promise<Response> | Response;

// DRF lists allowed methods in this order; HEAD and OPTIONS come with every view.
const METHOD_ORDER = ['GET', 'POST', 'DELETE'] as const;
type AaMethod = (typeof METHOD_ORDER)[number];

// Formats DRF could render here: `api` was the browsable HTML, which the facade answers as JSON.
const SERVED_FORMATS = new Set(['json', 'api']);

export interface ResourceOptions {
  /** What DRF's OPTIONS answer called the view. */
  name: string;
  handlers: Partial<Record<AaMethod, AaHandler>>;
  /** Media types the view parses, for OPTIONS. */
  parses?: string[];
}

/**
 * Registers one A_A view on each of its paths: its handlers by method (Hono answers HEAD with
 * GET), OPTIONS with the view's metadata, any other method 405, and every error as A_A's body.
 */
export function aaResource(app: Hono<AppEnv>, paths: string[], options: ResourceOptions) {
  const allowed = METHOD_ORDER.filter((m) => options.handlers[m]);
  const allow = [...allowed, 'HEAD', 'OPTIONS'].join(', ');
  const dispatch = async (c: AaContext) => {
    c.header('Allow', allow);
    if (c.req.method === 'OPTIONS') {
      return c.json({
        name: options.name,
        description: '',
        renders: ['application/json'],
        parses: options.parses ?? ['application/json'],
      });
    }
    const handler = options.handlers[c.req.method as AaMethod];
    if (!handler) throw methodNotAllowed(c.req.method);
    const format = c.req.query('format');
    if (format !== undefined && !SERVED_FORMATS.has(format)) throw notFound();
    return handler(c);
  };
  for (const path of paths) app.all(path, (c) => answerErrors(c, dispatch));
}

/** Runs a handler and turns what it throws into A_A's status and body; unknown errors go to app.onError. */
export async function answerErrors(c: AaContext, handler: AaHandler): Promise<Response> {
  try {
    return await handler(c);
  } catch (err) {
    const aa = toAaError(err);
    if (!aa) throw err;
    return c.json(aa.body as object, aa.status);
  }
}

/**
 * The value of a path segment without DRF's format suffix (`.json`, optionally followed by a
 * slash); null for the `.html` suffix, which A_A's renderers could not serve either.
 */
export function withoutFormatSuffix(segment: string): string | null {
  const match = /^(.*?)\.(json|html)\/?$/.exec(segment);
  if (!match) return segment.replace(/\/$/, '');
  return match[2] === 'json' ? match[1]! : null;
}

export function throwNotFound(): never {
  throw notFound();
}
