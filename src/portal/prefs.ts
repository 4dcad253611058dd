import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Reading preferences of the 适老化 (elder-friendly) modes, kept in a cookie so they work without script. */
export interface Prefs {
  large: boolean;
  contrast: boolean;
}

const cookieName = 'gk_prefs';

export function prefsOf(req: FastifyRequest): Prefs {
  const v = req.cookies[cookieName] ?? '';
  return { large: v.includes('L'), contrast: v.includes('C') };
}

/** Only a local path may be the way back (no open redirect to another site). */
export function localPath(back: unknown): string {
  if (typeof back !== 'string' || !back.startsWith('/') || back.startsWith('//') || back.includes('\\'))
    return '/';
  return back.slice(0, 1000);
}

/**
 * GET /prefs?text=large|normal&contrast=high|normal&back=/path: a plain link sets the cookie and sends the
 * visitor back to the page they were on, so the modes persist across pages and visits with script disabled.
 */
export function registerPrefs(app: FastifyInstance): void {
  app.get('/prefs', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const current = prefsOf(req);
    const next: Prefs = {
      large: q.text === 'large' ? true : q.text === 'normal' ? false : current.large,
      contrast: q.contrast === 'high' ? true : q.contrast === 'normal' ? false : current.contrast,
    };
    const value = `${next.large ? 'L' : ''}${next.contrast ? 'C' : ''}`;
    if (value) {
      reply.setCookie(cookieName, value, {
        path: '/',
        maxAge: 365 * 24 * 3600,
        sameSite: 'lax',
        httpOnly: true,
      });
    } else {
      reply.clearCookie(cookieName, { path: '/' });
    }
    return reply.header('cache-control', 'no-store').redirect(localPath(q.back), 303);
  });
}
