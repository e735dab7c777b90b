// Org slugs: "the canonical (unique and URL-friendly) name of the organization" (spec, OrgAttributes).
// Snyk derives them from the name ("My Org" → "my-org"); the spec's slug filter allows ^[\w.-]+$, at
// most 100 characters.

export const SLUG_PATTERN = '^[\\w.-]+$';
export const SLUG_MAX_LENGTH = 100;

/** The slug a name gives: lower case, accents dropped, every other run of characters one "-" (`empty` when none is left). */
export function slugify(name: string, empty = 'org'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH - 4);
  return slug || empty;
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
