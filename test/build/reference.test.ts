// The generated parts of the docs are what the schemas render now: the settings table in
// docs/settings.md and the admin routes in docs/fixtures-and-admin-api.md (`npm run docs:reference`).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { GENERATED, renderAdminReference, renderSettingsTable, replaceGenerated } from '../../src/build/reference.js';

const page = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

t.test('the settings table is current', async (t) => {
  const text = page(GENERATED.settings.page);
  t.equal(replaceGenerated(text, GENERATED.settings.name, renderSettingsTable()), text, 'run `npm run docs:reference`');
  const table = renderSettingsTable();
  for (const row of ['`--port <n>` | `SNYK_MOCK_PORT`, `PORT` | `8080`', '`--https` / `--no-https`', '`--rate-limit <value>`', '`--in-memory`'])
    t.match(table, row);
});

t.test('the admin routes and their bodies are current', async (t) => {
  const text = page(GENERATED.admin.page);
  const rendered = await renderAdminReference();
  t.equal(replaceGenerated(text, GENERATED.admin.name, rendered), text, 'run `npm run docs:reference`');
  for (const route of ['POST /__admin/users', 'GET /__admin/state', 'DELETE /__admin/faults/{id}', 'GET /__admin/requests'])
    t.match(rendered, `#### \`${route}\``);
  t.match(rendered, /\| `roles\[\]\.role_id` \| string \(uuid\) \|/, 'members of a body, one level down');
  t.notMatch(rendered, '/__admin/ui', 'the dashboard files are not API routes');
});

t.test('markers: replaced between, refused when missing', async (t) => {
  const doc = 'a\n<!-- generated:x begin (npm run docs:reference; do not edit by hand) -->\nold\n<!-- generated:x end -->\nb';
  t.equal(replaceGenerated(doc, 'x', 'new'), 'a\n<!-- generated:x begin (npm run docs:reference; do not edit by hand) -->\nnew\n<!-- generated:x end -->\nb');
  t.throws(() => replaceGenerated('no markers', 'x', 'new'), /markers of x are missing/);
});
