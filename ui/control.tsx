// What every control panel shares: its state loaded from an admin GET route (again on each tick:
// a `control` event, or a request that may have moved its counters), actions that report their
// outcome in the panel and reload it, and the two live regions that announce that outcome.
import { useEffect, useMemo, useState } from 'preact/hooks';

/** `fn`, but calls made while it runs collapse into one more run after it (never two at once). */
export function coalesce(fn: () => Promise<void>): () => Promise<void> {
  let running = false;
  let again = false;
  return async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await fn();
      } while (again);
    } finally {
      running = false;
    }
  };
}

export interface Outcome {
  text: string;
  error?: boolean;
}

export interface Control<T> {
  /** undefined until the first load */
  state: T | undefined;
  outcome: Outcome;
  /** Runs an action: on success says `done` and reloads; on failure shows the API's error. */
  run(action: () => Promise<unknown>, done: string): Promise<boolean>;
}

export function useControl<T>(get: () => Promise<T>, tick: number): Control<T> {
  const [state, setState] = useState<T>();
  const [outcome, setOutcome] = useState<Outcome>({ text: '' });
  const load = useMemo(
    () =>
      coalesce(async () => {
        try {
          setState(await get());
        } catch (err) {
          setOutcome({ text: `Could not load: ${(err as Error).message}`, error: true });
        }
      }),
    [],
  );
  useEffect(() => void load(), [tick]);
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
    } catch (err) {
      setOutcome({ text: (err as Error).message, error: true });
      return false;
    }
    setOutcome({ text: done });
    await load();
    return true;
  };
  return { state, outcome, run };
}

/** Two live regions that stay in place, so screen readers announce what lands in them. */
export function Notices(props: { ok: string; error: string }) {
  return (
    <>
      <p class="notice" role="status">
        {props.ok}
      </p>
      <p class="notice error" role="alert">
        {props.error}
      </p>
    </>
  );
}

export const OutcomeNotices = (props: { outcome: Outcome }) => (
  <Notices ok={props.outcome.error ? '' : props.outcome.text} error={props.outcome.error ? props.outcome.text : ''} />
);

/** The value of a form's field, trimmed. */
export const field = (form: HTMLFormElement, name: string): string => String(new FormData(form).get(name) ?? '').trim();
