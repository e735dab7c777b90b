// A headless Chromium for the dashboard tests: Debian's `chromium` package (CI installs it), or the
// browser at $CHROME_PATH. Nothing is downloaded. Each launch gets a fresh profile directory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** The browser to drive, or undefined when there is none (the test is then skipped). */
export function findChrome(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROME_PATH ? [env.CHROME_PATH] : ['/usr/bin/chromium'];
  return candidates.find((p) => existsSync(p));
}

export const NO_CHROME = "no Chromium found: set CHROME_PATH, or install Debian's chromium (apt-get install -y chromium; .ci/run does)";

/** The browser, and `close()`: it stops the browser, then removes its profile. */
export async function launch(executablePath: string, extraArgs: string[] = []): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'snyk-mock-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    defaultViewport: { width: 1440, height: 900 },
    args: [
      // the sandbox needs an unprivileged user; these machines run tests as root
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...extraArgs,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** axe-core's WCAG 2 A and AA rules on the page as it is; the violations, by rule and element. */
export async function axeAudit(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
