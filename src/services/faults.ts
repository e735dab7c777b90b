// Fault rules: a gateway that answers 5xx, drops the connection, or is slow, for the requests a rule
// matches (method, path glob, principal), `times` times or with a `probability`. Tried in the order
// added; the first that matches and fires acts. --latency adds a delay to every answer on top.
import { FaultRule, type Delay, type FaultCreated, type FaultList, type FaultState } from '../schemas/faults.js';
import { checked } from '../schemas/check.js';
import { badRequest, notFound } from '../snyk/errors.js';
import { parseLatency, type Range } from '../settings/syntax.js';

/** The rules as the in-process API offers them (`server.faults`). */
export interface FaultRules {
  add(rule: FaultRule): FaultCreated;
  list(): FaultList;
  remove(id: string): void;
  clear(): void;
}

interface Rule extends FaultState {
  match: RegExp;
}

/** A path glob → RegExp: `*` is one segment (or part of one), `**` any number of segments. */
function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const seg of glob.split('/').slice(1)) {
    if (seg === '**') re += '(?:/[^/]+)*';
    else re += `/${seg === '*' ? '[^/]+' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}`;
  }
  return new RegExp(`${re}/?$`);
}

const range = (d: Delay): Range => (typeof d === 'number' ? { min: d, max: d } : d);

export class Faults implements FaultRules {
  private rules: Rule[] = [];
  private active = 0;
  private seq = 0;
  readonly latency: Range | undefined;

  constructor(
    latency: string | undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.latency = parseLatency(latency);
  }

  /** Nothing to do for any request: no live rule, no latency (the hot path asks this first). */
  get idle(): boolean {
    return this.active === 0 && this.latency === undefined;
  }

  add(input: FaultRule): FaultCreated {
    const rule = checked(FaultRule, input);
    const actions = (['status', 'reset', 'delay_ms'] as const).filter((k) => rule[k] !== undefined);
    if (actions.length !== 1) {
      throw badRequest(
        `A fault rule takes exactly one action: status (500, 502, 503 or 504), reset: true, or delay_ms${actions.length ? `; got ${actions.join(', ')}` : ''}.`,
        { pointer: '/' },
      );
    }
    if (rule.delay_ms !== undefined && typeof rule.delay_ms !== 'number' && rule.delay_ms.min > rule.delay_ms.max) {
      throw badRequest('delay_ms.min must not be greater than delay_ms.max.', { pointer: '/delay_ms' });
    }
    const id = `fault-${++this.seq}`;
    const method = (rule.method ?? '*').toUpperCase();
    const path = rule.path ?? '/**';
    this.rules.push({ ...rule, id, method, path, fired: 0, retired: false, match: globToRegExp(path) });
    this.active++;
    return { id };
  }

  list(): FaultList {
    return { faults: this.rules.map(({ match: _, ...state }) => state), latency_ms: this.latency ?? null };
  }

  remove(id: string): void {
    const i = this.rules.findIndex((r) => r.id === id);
    if (i === -1) throw notFound(`No fault rule ${id}.`, { parameter: 'id' });
    const [gone] = this.rules.splice(i, 1);
    if (!gone.retired) this.active--;
  }

  clear(): void {
    this.rules = [];
    this.active = 0;
  }

  /**
   * The rule that acts on this request, if any, counted as fired. `principalId` is asked only when
   * a rule names a principal.
   */
  fire(method: string, path: string, principalId: () => string | undefined): FaultState | undefined {
    if (this.active === 0) return undefined;
    for (const rule of this.rules) {
      if (rule.retired) continue;
      if (rule.method !== '*' && rule.method !== method) continue;
      if (!rule.match.test(path)) continue;
      if (rule.principal_id !== undefined && rule.principal_id !== principalId()) continue;
      if (rule.probability !== undefined && !(this.random() < rule.probability)) continue;
      rule.fired++;
      if (rule.times !== undefined && rule.fired >= rule.times) {
        rule.retired = true;
        this.active--;
      }
      return rule;
    }
    return undefined;
  }

  /** How long to hold this request: the latency, plus the delay of the rule that fired. */
  delayMs(rule: FaultState | undefined): number {
    let ms = this.latency ? this.pick(this.latency) : 0;
    if (rule?.delay_ms !== undefined) ms += this.pick(range(rule.delay_ms));
    return ms;
  }

  private pick({ min, max }: Range): number {
    return min === max ? min : min + Math.floor(this.random() * (max - min + 1));
  }
}
