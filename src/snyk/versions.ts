// Snyk's API version gate (vervet rules): parse the `version` query parameter and resolve it
// against a resource's releases. Pure: no Fastify, "today" is passed in by the caller's clock.

type Stability = 'wip' | 'experimental' | 'beta' | 'ga';
type LifecycleStage = Stability | 'deprecated' | 'sunset';

export interface Version {
  date: string; // YYYY-MM-DD
  stability: Stability;
}

export type Resolution =
  | {
      ok: true;
      requested: string;
      served: string;
      stage: LifecycleStage;
      deprecation?: string; // date-time the served version was superseded
      sunset?: string; // date it stops being served
      /** set when Snyk's rules refuse the version and the mock's --version-check let it through */
      relaxed?: true;
    }
  | {
      ok: false;
      status: 400 | 404;
      detail: string;
      /** the least relaxed --version-check that accepts it anyway (a missing or malformed one needs off) */
      relaxedBy: 'lenient' | 'off';
    };

/** The mock's switch over the gate: Snyk's rules, or any well-formed version, or none needed. */
export type VersionCheck = 'strict' | 'lenient' | 'off';

const STABILITY_RANK: Record<Stability, number> = { wip: 0, experimental: 1, beta: 2, ga: 3 };

/** vervet's DefaultPivotDate: from this date on, any `~stability` suffix is refused. */
const PIVOT_DATE = '2024-10-15';

/** Sunset windows after a newer release (vervet constants), in days. */
const SUNSET_DAYS: Record<Stability, number> = { wip: 1, experimental: 1, beta: 91, ga: 181 };

// The QueryVersion pattern of the spec, restricted to what vervet's parser also accepts: a date is
// always needed, and `work-in-progress` is not a stability vervet knows.
const VERSION_RE = /^(\d{4})-(\d{2})-(\d{2})(?:~(wip|experimental|beta))?$/;

export function parseVersion(s: string): Version | undefined {
  const m = VERSION_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, stab] = m;
  const t = Date.UTC(+y, +mo - 1, +d);
  const back = new Date(t);
  // reject dates that do not exist (2024-02-30), as Go's time.Parse does
  if (back.getUTCFullYear() !== +y || back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d) {
    return undefined;
  }
  return { date: `${y}-${mo}-${d}`, stability: (stab as Stability | undefined) ?? 'ga' };
}

export function formatVersion(v: Version): string {
  return v.stability === 'ga' ? v.date : `${v.date}~${v.stability}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Parses a release table once; releases are written as in `x-snyk-api-releases`. */
export function releaseTable(releases: readonly string[]): Version[] {
  return releases
    .map((r) => {
      const v = parseVersion(r);
      if (!v) throw new Error(`bad release ${r}`);
      return v;
    })
    .sort((a, b) => (a.date === b.date ? STABILITY_RANK[a.stability] - STABILITY_RANK[b.stability] : a.date < b.date ? -1 : 1));
}

function lifecycle(served: Version, releases: Version[], today: string): Pick<Extract<Resolution, { ok: true }>, 'stage' | 'deprecation' | 'sunset'> {
  // superseded by the first later release of equal or higher stability
  const newer = releases.find((r) => r.date > served.date && STABILITY_RANK[r.stability] >= STABILITY_RANK[served.stability]);
  if (!newer) return { stage: served.stability };
  const sunset = addDays(newer.date, SUNSET_DAYS[served.stability]);
  return { stage: today >= sunset ? 'sunset' : 'deprecated', deprecation: `${newer.date}T00:00:00Z`, sunset };
}

/**
 * Resolves a requested version for one resource: vervet's rules, unless `check` relaxes them. What
 * they refuse, `lenient` (a well-formed version) or `off` (any or none) serves the newest release.
 * @param today the current UTC date, YYYY-MM-DD
 */
export function resolveVersion(requested: string | undefined, releases: Version[], today: string, check: VersionCheck = 'strict'): Resolution {
  const r = vervet(requested, releases, today);
  if (r.ok || check === 'strict' || (check === 'lenient' && r.relaxedBy === 'off')) return r;
  const newest = releases[releases.length - 1];
  const v = requested === undefined ? undefined : parseVersion(requested);
  const served = formatVersion(newest);
  return { ok: true, requested: v ? formatVersion(v) : served, served, ...lifecycle(newest, releases, today), relaxed: true };
}

function vervet(requested: string | undefined, releases: Version[], today: string): Resolution {
  if (requested === undefined || requested === '') {
    return { ok: false, status: 400, detail: "missing required query parameter 'version'", relaxedBy: 'off' };
  }
  const v = parseVersion(requested);
  if (!v) return { ok: false, status: 400, detail: `invalid version "${requested}"`, relaxedBy: 'off' };
  if (v.date > today) {
    return { ok: false, status: 400, detail: `requested version newer than present date ${today}`, relaxedBy: 'lenient' };
  }
  const normalised = formatVersion(v);
  let served: Version | undefined;
  if (v.date < PIVOT_DATE) {
    // ResolveForBuild: newest release on or before the date with stability >= the requested one;
    // on a date tie the higher stability wins (the table is sorted so the last match is it).
    for (const r of releases) {
      if (r.date <= v.date && STABILITY_RANK[r.stability] >= STABILITY_RANK[v.stability]) served = r;
    }
  } else if (v.stability === 'ga') {
    // ResolveGAorBetaStability: latest GA on or before the date, else the latest beta.
    for (const r of releases) if (r.date <= v.date && r.stability === 'ga') served = r;
    if (!served) for (const r of releases) if (r.date <= v.date && r.stability === 'beta') served = r;
  }
  if (!served) return { ok: false, status: 404, detail: `no matching version for "${normalised}"`, relaxedBy: 'lenient' };
  return { ok: true, requested: normalised, served: formatVersion(served), ...lifecycle(served, releases, today) };
}

/**
 * Release lines this server implements, each an operation's `x-snyk-api-releases` in the spec. Snyk
 * releases operations of one resource separately (listOrgs has a 2024-02-28 GA, getOrg none), so a
 * line is keyed by what it serves; SNYK_RESOURCE names the spec's `x-snyk-api-resource` of each.
 */
export const RELEASES = {
  service_accounts: releaseTable(['2023-09-07']),
  self: releaseTable(['2022-03-01~experimental', '2022-09-14~experimental', '2024-04-22']),
  /** listOrgs */
  orgs: releaseTable(['2022-04-06~experimental', '2022-12-15~beta', '2023-05-29', '2024-02-28']),
  /** getOrg */
  org: releaseTable(['2022-04-06~experimental', '2022-12-15~beta', '2023-05-29']),
  /** listOrgsInGroup */
  group_orgs: releaseTable(['2023-10-24~experimental', '2023-12-14~beta', '2024-02-28']),
  /** listGroups */
  groups: releaseTable(['2022-01-31~experimental', '2023-01-30~beta']),
  /** getGroup */
  group: releaseTable(['2022-01-31~experimental', '2023-01-30~beta', '2024-04-25~experimental']),
} as const;

export type ResourceName = keyof typeof RELEASES;

export const SNYK_RESOURCE: Record<ResourceName, string> = {
  service_accounts: 'service_accounts',
  self: 'self',
  orgs: 'orgs',
  org: 'orgs',
  group_orgs: 'orgs',
  groups: 'groups',
  group: 'groups',
};
