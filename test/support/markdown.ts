// The documentation pages and what the doc tests read from them: fenced blocks (with the
// `<!-- snippet: … -->` marker before each, see CONTRIBUTING.md), links and heading anchors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** README.md, CONTRIBUTING.md and docs/*.md (with `deep`, docs/decisions/ and any other folder too), relative to the repository root. */
export function docPages({ deep = false } = {}): string[] {
  const pages = ['README.md', 'CONTRIBUTING.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (deep) walk(join(dir, entry.name));
      } else if (entry.name.endsWith('.md')) pages.push(join(dir, entry.name));
    }
  };
  walk('docs');
  return pages.sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)));
}

export interface Block {
  page: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  code: string;
  /** attributes of the `<!-- snippet: … -->` marker before the fence (`skip` has the value '') */
  marker: Record<string, string>;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const MARKER = /^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$/;

/** `skip reason="x" env='A=1'` → { skip: '', reason: 'x', env: 'A=1' } */
export function parseMarker(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g)) out[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

export function fencedBlocks(page: string, text = readFileSync(join(ROOT, page), 'utf8')): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '')) j++;
    const code = lines
      .slice(i + 1, j)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
      .join('\n');
    // the marker is the nearest non-blank line above the fence
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const m = k >= 0 ? MARKER.exec(lines[k]) : null;
    blocks.push({ page, line: i + 1, lang: lang.toLowerCase(), code, marker: m ? parseMarker(m[1]) : {} });
    i = j;
  }
  return blocks;
}

/** The lines of a page with its fenced blocks blanked (line numbers kept). */
function outsideFences(text: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const open = FENCE.exec(line);
    if (fence) {
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      out.push('');
    } else if (open) {
      fence = open[2];
      out.push('');
    } else out.push(line);
  }
  return out;
}

/** The text of a page outside its fenced blocks and inline code spans. */
export function prose(text: string): string {
  return outsideFences(text)
    .map((line) => line.replace(/`[^`]*`/g, '``'))
    .join('\n');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of outsideFences(text)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1]);
  return out;
}

/** Markdown links and images of a page (outside code): `[text](target)` and `[text]: target`. */
export function links(text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: i + 1 });
      const ref = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(line);
      if (ref) out.push({ target: ref[1], line: i + 1 });
    });
  return out;
}
