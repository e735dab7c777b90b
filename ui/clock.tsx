// The server clock: what time it is for the mock (ticking, or frozen), and the controls a test has:
// set and freeze it at an instant, move it forward, or give it back to real time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { clock, type ClockState } from './api.js';
import { field, OutcomeNotices, useControl } from './control.js';
import { utc } from './format.js';

export function ClockPanel(props: { tick: number }) {
  const { state, outcome, run } = useControl(clock.get, props.tick);
  const now = useTicking(state);
  const set = (e: Event) => {
    e.preventDefault();
    const iso = field(e.currentTarget as HTMLFormElement, 'now');
    void run(() => clock.set(iso), `Clock set to ${iso} and frozen.`);
  };
  const advance = (e: Event) => {
    e.preventDefault();
    const by = field(e.currentTarget as HTMLFormElement, 'advance');
    void run(() => clock.advance(by), `Clock moved ${by} forward.`);
  };
  return (
    <>
      {state && now !== undefined ? (
        <p class="clock-now">
          <time id="clock-now" dateTime={new Date(now).toISOString()}>
            {utc(new Date(now).toISOString(), true)}
          </time>{' '}
          <span class="badge" id="clock-mode">
            {state.frozen ? 'frozen' : 'running'}
          </span>
        </p>
      ) : null}
      <form class="field" onSubmit={set}>
        <label for="clock-set">Set and freeze at (ISO 8601)</label>
        <div class="copy-row">
          <input id="clock-set" name="now" required spellcheck={false} autoComplete="off" placeholder="2030-01-01T00:00:00Z" />
          <button type="submit">Set</button>
        </div>
      </form>
      <form class="field" onSubmit={advance}>
        <label for="clock-advance">Move forward by (s, m, h, d)</label>
        <div class="copy-row">
          <input id="clock-advance" name="advance" required spellcheck={false} autoComplete="off" defaultValue="90m" />
          <button type="submit">Advance</button>
        </div>
      </form>
      <div class="row-buttons">
        <button type="button" onClick={() => void run(clock.real, 'Clock back to real time.')}>
          Back to real time
        </button>
      </div>
      <OutcomeNotices outcome={outcome} />
    </>
  );
}

/** The mock's time now: the state's, moved on by the browser's clock while it runs (re-rendered every second). */
function useTicking(state: ClockState | undefined): number | undefined {
  const loaded = useRef<{ state?: ClockState; at: number }>({ at: 0 });
  if (loaded.current.state !== state) loaded.current = { state, at: Date.now() };
  const [, setSecond] = useState(0);
  useEffect(() => {
    if (!state || state.frozen) return;
    const timer = setInterval(() => setSecond((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state]);
  if (!state) return undefined;
  const at = Date.parse(state.now);
  return state.frozen ? at : at + (Date.now() - loaded.current.at);
}
