// The dashboard: static files from dist/ui (built by scripts/build-ui.mjs) at /__admin/ui/, open to
// anyone who can reach the port (the data calls the page makes carry the admin secret). One route
// per file (wildcard: false), so every other path keeps its 404/405 ErrorDocument.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { apiError } from '../../snyk/errors.js';

/** dist/ui of the package: the same path from src/routes/admin (tests) and dist/routes/admin. */
export const UI_ROOT = fileURLToPath(new URL('../../../dist/ui/', import.meta.url));

export const UI_PATH = '/__admin/ui/';

/** The page loads only its own files and talks only to its own origin. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export default async function uiRoutes(app: FastifyInstance, opts: { root?: string }) {
  const root = opts.root ?? UI_ROOT;
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, open: true };
  });
  if (!existsSync(`${root}/index.html`)) {
    app.log.warn({ root }, 'the dashboard is not built: /__admin/ui/ answers 404 (run npm run build)');
    app.get('/', async () => {
      throw apiError(404, `The dashboard is not built (no ${root}index.html): run \`npm run build\`.`);
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    decorateReply: false,
    setHeaders: (res) => {
      res.setHeader('content-security-policy', CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
    },
  });
}

/** GET / → the dashboard. */
export async function rootRedirect(app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(UI_PATH));
}
