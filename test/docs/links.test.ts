// Every link between the documentation pages resolves, offline: a relative link names a file of the
// repository, and a #fragment a heading (or an anchor) of the page it points to.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { anchors, docPages, links, ROOT } from '../support/markdown.js';

const text = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** The problem with one link of `page`, or undefined. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined; // https:, mailto: … (not checked offline)
  const [path, fragment] = target.split('#', 2);
  const file = path ? normalize(join(dirname(page), decodeURIComponent(path))) : page;
  if (relative(ROOT, join(ROOT, file)).startsWith('..')) return `${target} points outside the repository`;
  if (!existsSync(join(ROOT, file))) return `${target}: no file ${file}`;
  if (fragment !== undefined && file.endsWith('.md') && !anchors(text(file)).has(fragment)) return `${target}: ${file} has no heading #${fragment}`;
  return undefined;
}

for (const page of docPages({ deep: true })) {
  t.test(page, async (t) => {
    const found = links(text(page));
    for (const { target, line } of found) {
      const problem = brokenLink(page, target);
      t.notOk(problem, `${page}:${line} → ${target}`, problem ? { problem } : {});
    }
    if (found.length === 0) t.pass('no links');
  });
}

// a path of the repository named in code (`src/settings/config.ts`) exists: files move, docs follow
t.test('repository paths named in the docs exist', async (t) => {
  for (const page of docPages({ deep: true })) {
    for (const m of text(page).matchAll(/`((?:src|test|scripts|ui|bench|fixtures|spec|examples)\/[\w./-]+)`/g)) {
      t.ok(existsSync(join(ROOT, m[1])), `${page}: ${m[1]}`);
    }
  }
});

t.test('the checks themselves', async (t) => {
  t.equal(brokenLink('README.md', 'docs/clients.md#python-requests'), undefined);
  t.match(brokenLink('README.md', 'docs/clients.md#no-such-heading'), /has no heading/);
  t.match(brokenLink('README.md', 'docs/no-such-page.md'), /no file/);
  t.match(brokenLink('docs/api.md', '#nothing-here'), /has no heading/);
  t.equal(brokenLink('docs/api.md', 'https://example.com/#x'), undefined);
  t.ok(anchors('## Strict / lenient switches\n## `api_key`: `token`\n## A\n## A').has('strict--lenient-switches'));
  t.ok(anchors('## `api_key`: `token`').has('api_key-token'));
  t.ok(anchors('## A\n## A').has('a-1'), 'a repeated heading gets -1');
});
