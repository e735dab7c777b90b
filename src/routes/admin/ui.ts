// The dashboard: static files from dist/ui (built by scripts/build-ui.mjs) at /__admin/ui/, open to
// anyone who can reach the port (the data calls the page makes carry the admin secret). One route
// per file, so every other path keeps its 404/405 ErrorDocument.
import { existsSync, readdirSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packagePath } from '../../settings/package-paths.js';
import { apiError } from '../../snyk/errors.js';

/** dist/ui of the package: the same path from src/routes/admin (tests) and dist/routes/admin. */
export const UI_ROOT = packagePath('dist/ui/');

const UI_PATH = '/__admin/ui/';

/** The page loads only its own files and talks only to its own origin. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

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
  // one route per file of the build (a flat folder), and `/` for the page: every other path keeps
  // its 404/405 ErrorDocument, and no request names a file of its own
  const files = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
  for (const file of files) {
    const handler = serveFile(root, file);
    app.get(`/${file}`, { schema: { hide: true } }, handler);
    if (file === 'index.html') app.get('/', { schema: { hide: true } }, handler);
  }
}

/**
 * A handler that sends `root/file` with @fastify/send (the engine of @fastify/static: ETag,
 * Last-Modified, conditional GET, ranges, HEAD), loaded on the first request: @fastify/static
 * and the glob library it lists a folder with took a tenth of the server's start-up, for three files.
 */
function serveFile(root: string, file: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { default: send } = await (sender ??= loadSend());
    const { statusCode, headers, stream } = await send(request.raw, `/${file}`, { root, dotfiles: 'deny' });
    reply.code(statusCode).headers({ ...headers, ...SECURITY_HEADERS });
    return reply.send(stream);
  };
}
const loadSend = () => import('@fastify/send');
let sender: ReturnType<typeof loadSend> | undefined;

/** GET / → the dashboard (the page's own navigation: not journaled). */
export async function rootRedirect(app: FastifyInstance) {
  app.get('/', { schema: { hide: true }, config: { page: true } }, async (_request, reply) => reply.redirect(UI_PATH));
}
