// The fault rules, in the order they are tried, with how often each fired; a form to add one
// (method, path glob, an action, how often it fires), and removing one or all.
import { useState } from 'preact/hooks';
import { faults, type FaultRule, type FaultState } from './api.js';
import { field, OutcomeNotices, useControl } from './control.js';
import { TableHead } from './table.js';

const METHODS = ['*', 'GET', 'POST', 'PATCH', 'DELETE'];
const ACTIONS = {
  '500': '500 Internal Server Error',
  '502': '502 Bad Gateway',
  '503': '503 Service Unavailable',
  '504': '504 Gateway Timeout',
  reset: 'Drop the connection',
  delay: 'Delay the answer',
} as const;
type Action = keyof typeof ACTIONS;
const FIRES = { always: 'Until removed', times: 'A number of times', probability: 'With a probability' } as const;
type Fires = keyof typeof FIRES;

const ms = (d: NonNullable<FaultRule['delay_ms']>) => (typeof d === 'number' ? `${d} ms` : `${d.min}–${d.max} ms`);

function action(rule: FaultState): string {
  if (rule.status !== undefined) return ACTIONS[String(rule.status) as Action];
  if (rule.reset) return 'drop the connection';
  return `delay ${ms(rule.delay_ms!)}`;
}

function fires(rule: FaultState): string {
  if (rule.times !== undefined) return `${rule.times} time${rule.times === 1 ? '' : 's'}`;
  if (rule.probability !== undefined) return `${Math.round(rule.probability * 1000) / 10} % of matches`;
  return 'until removed';
}

/** "200" or "100-500" (ms) → delay_ms */
function delay(text: string): FaultRule['delay_ms'] {
  const [min, max] = text.split('-').map((n) => Number(n.trim()));
  return max === undefined ? min : { min, max };
}

export function FaultsPanel(props: { tick: number; names: Map<string, string> }) {
  const { state, outcome, run } = useControl(faults.list, props.tick);
  const [act, setAct] = useState<Action>('503');
  const [often, setOften] = useState<Fires>('always');

  const add = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const rule: FaultRule = { method: field(form, 'method'), path: field(form, 'path') };
    if (act === 'reset') rule.reset = true;
    else if (act === 'delay') rule.delay_ms = delay(field(form, 'delay'));
    else rule.status = Number(act) as FaultRule['status'];
    if (often === 'times') rule.times = Number(field(form, 'times'));
    if (often === 'probability') rule.probability = Number(field(form, 'probability'));
    void run(() => faults.add(rule), `Fault added: ${rule.method} ${rule.path}.`);
  };

  const rules = state?.faults ?? [];
  return (
    <>
      {state?.latency_ms ? (
        <p>Every answer waits {ms(state.latency_ms.min === state.latency_ms.max ? state.latency_ms.min : state.latency_ms)} (--latency).</p>
      ) : null}
      {rules.length === 0 ? (
        <p id="faults-none">No fault rules: every request reaches the API.</p>
      ) : (
        <table class="faults-table">
          <caption class="visually-hidden">Fault rules, in the order they are tried</caption>
          <TableHead columns={['Rule', 'Requests', 'Action', 'Fires', 'Fired', <span class="visually-hidden">Remove</span>]} />
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-fault-id={r.id}>
                <th scope="row">{r.id}</th>
                <td>
                  {r.method} <span class="path">{r.path}</span>
                  {r.principal_id ? <span class="kind"> as {props.names.get(r.principal_id) ?? r.principal_id}</span> : null}
                </td>
                <td>{action(r)}</td>
                <td>{fires(r)}</td>
                <td class="num">
                  {r.fired}
                  {r.retired ? <span class="kind"> (done)</span> : null}
                </td>
                <td>
                  <button type="button" aria-label={`Remove ${r.id}`} onClick={() => void run(() => faults.remove(r.id), `Removed ${r.id}.`)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="fault-form" onSubmit={add} aria-label="Add a fault rule">
        <div class="field">
          <label for="fault-method">Method</label>
          <select id="fault-method" name="method">
            {METHODS.map((m) => (
              <option value={m}>{m === '*' ? 'any' : m}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fault-path">Path (* one segment, ** any)</label>
          <input id="fault-path" name="path" required pattern="/.*" spellcheck={false} autoComplete="off" defaultValue="/rest/**" />
        </div>
        <div class="field">
          <label for="fault-action">Action</label>
          <select id="fault-action" value={act} onChange={(e) => setAct((e.currentTarget as HTMLSelectElement).value as Action)}>
            {Object.entries(ACTIONS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </div>
        {act === 'delay' ? (
          <div class="field">
            <label for="fault-delay">Delay, ms (200, or 100-500)</label>
            <input id="fault-delay" name="delay" required pattern="\d+(\s*-\s*\d+)?" inputMode="numeric" autoComplete="off" defaultValue="500" />
          </div>
        ) : null}
        <div class="field">
          <label for="fault-fires">Fires</label>
          <select id="fault-fires" value={often} onChange={(e) => setOften((e.currentTarget as HTMLSelectElement).value as Fires)}>
            {Object.entries(FIRES).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </div>
        {often === 'times' ? (
          <div class="field">
            <label for="fault-times">Times</label>
            <input id="fault-times" name="times" type="number" required min={1} step={1} defaultValue="1" />
          </div>
        ) : null}
        {often === 'probability' ? (
          <div class="field">
            <label for="fault-probability">Probability (0–1)</label>
            <input id="fault-probability" name="probability" type="number" required min={0} max={1} step={0.01} defaultValue="0.5" />
          </div>
        ) : null}
        <div class="row-buttons">
          <button type="submit" class="primary">
            Add fault
          </button>
          {rules.length > 0 ? (
            <button type="button" class="danger" onClick={() => void run(faults.clear, 'Removed every fault rule.')}>
              Remove all
            </button>
          ) : null}
        </div>
      </form>
      <OutcomeNotices outcome={outcome} />
    </>
  );
}
