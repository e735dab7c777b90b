// The rate limit: off, or N requests per window per credential, with the windows now open (who,
// how many let through, how many refused with 429, when the window resets on the mock clock).
import { rateLimit } from './api.js';
import { field, OutcomeNotices, useControl } from './control.js';
import { principalName, utc } from './format.js';
import { TableHead } from './table.js';

/** Windows shown at most: one page of rows, like every view. */
const ROWS = 100;

export function RateLimitPanel(props: { tick: number; names: Map<string, string> }) {
  const { state, outcome, run } = useControl(rateLimit.get, props.tick);
  const set = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const limit = Number(field(form, 'limit'));
    const windowSeconds = Number(field(form, 'window'));
    void run(() => rateLimit.set({ limit, window_seconds: windowSeconds }), `Rate limit set: ${limit} requests per ${windowSeconds} s.`);
  };
  const counters = state?.counters ?? [];
  return (
    <>
      {state ? (
        <p id="rate-limit-setting">
          {state.enabled ? (
            <>
              <strong>{state.limit}</strong> requests per <strong>{state.window_seconds} s</strong>, per credential
            </>
          ) : (
            'Off: no request is refused for its rate.'
          )}
        </p>
      ) : null}
      {counters.length > 0 ? (
        <table>
          <caption class="visually-hidden">Open rate-limit windows</caption>
          <TableHead columns={['Principal', 'Requests', 'Refused', 'Resets (UTC)']} />
          <tbody>
            {counters.slice(0, ROWS).map((c) => (
              <tr>
                <th scope="row">{principalName(c.principal, props.names)}</th>
                <td class="num">
                  {c.count} of {state!.limit}
                </td>
                <td class="num">{c.rejected}</td>
                <td>
                  <time dateTime={c.resets_at} title={utc(c.resets_at, true)}>
                    {c.resets_at.slice(11, 19)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {counters.length > ROWS ? <p>and {counters.length - ROWS} more windows</p> : null}
      <form class="inline-form" onSubmit={set} aria-label="Set the rate limit">
        <div class="field">
          <label for="rate-limit-limit">Requests</label>
          <input id="rate-limit-limit" name="limit" type="number" required min={1} max={1_000_000} step={1} defaultValue={String(state?.limit ?? 3)} />
        </div>
        <div class="field">
          <label for="rate-limit-window">Per seconds</label>
          <input id="rate-limit-window" name="window" type="number" required min={1} max={86_400} step={1} defaultValue={String(state?.window_seconds ?? 60)} />
        </div>
        <div class="row-buttons">
          <button type="submit" class="primary">
            Set limit
          </button>
          {state?.enabled ? (
            <button type="button" onClick={() => void run(() => rateLimit.set({ enabled: false }), 'Rate limit off.')}>
              Turn off
            </button>
          ) : null}
        </div>
      </form>
      <OutcomeNotices outcome={outcome} />
    </>
  );
}
