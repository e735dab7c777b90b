// The dashboard's data, as hooks: the overview (GET /__admin/overview, reloaded on a `change`
// event), the journal's last page (GET /__admin/requests, then `request` events on top), the
// control panels' reload ticks, and the event stream that drives them all.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CallError, fetchOverview, requests, streamEvents, type Level, type Overview, type OverviewParams, type StreamState } from './api.js';
import { coalesce } from './control.js';
import type { PanelKey, Ticks } from './controls.js';
import { JOURNAL_ROWS, type JournalEntry } from './journal.js';

export function useOverview() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [loadError, setLoadError] = useState('');
  const [needSecret, setNeedSecret] = useState(false);
  // the mock's clock minus the browser's, so "expires in" follows the mock (which tests may move)
  const [clockSkew, setClockSkew] = useState(0);
  const params = useRef<OverviewParams>({});

  /** Loads the overview; calls made while one runs collapse into one more load after it. */
  const load = useMemo(() => {
    const run = coalesce(async () => {
      try {
        const o = await fetchOverview(params.current);
        setOverview(o);
        setClockSkew(Date.parse(o.now) - Date.now());
        setLoadError('');
        setNeedSecret(false);
      } catch (err) {
        if (err instanceof CallError && err.status === 401) setNeedSecret(true);
        else if (err instanceof CallError && err.status === 404 && params.current.owner) {
          // the owner shown is gone (deleted, or a new seed): back to the first one
          params.current = { ...params.current, owner: undefined, offset: 0 };
          void run();
        } else setLoadError((err as Error).message);
      }
    });
    return run;
  }, []);

  const show = (next: OverviewParams) => {
    params.current = next;
    void load();
  };
  return {
    overview,
    loadError,
    needSecret,
    setNeedSecret,
    clockSkew,
    load,
    select: (owner: { level: Level; id: string }) => show({ ...params.current, owner, offset: 0 }),
    page: (offset: number) => {
      const selected = overview?.selected;
      if (selected) show({ ...params.current, owner: { level: selected.level, id: selected.id }, offset });
    },
    usersPage: (usersOffset: number) => show({ ...params.current, usersOffset }),
    /** after a reset: the first owner again */
    restart: () => (params.current = {}),
  };
}

export function useJournal() {
  const [journal, setJournal] = useState<JournalEntry[]>([]);
  /** The request events that arrive while the journal loads: newer than what it returns, or in it. */
  const arriving = useRef<JournalEntry[] | null>(null);
  /** The journal's last page, from GET /__admin/requests; events go on top of it. */
  const load = useMemo(
    () =>
      coalesce(async () => {
        arriving.current = [];
        try {
          const { requests: loaded } = await requests.list(JOURNAL_ROWS);
          const known = new Set(loaded.map((e) => e.id));
          setJournal([...arriving.current.filter((e) => !known.has(e.id)), ...loaded].slice(0, JOURNAL_ROWS));
        } catch {
          // not loaded (no secret yet, or the server went away): the stream's rows stay
        } finally {
          arriving.current = null;
        }
      }),
    [],
  );
  const add = (entry: JournalEntry) => {
    arriving.current?.unshift(entry);
    setJournal((rows) => [entry, ...rows].slice(0, JOURNAL_ROWS));
  };
  return { journal, load, add };
}

export function useTicks() {
  const [ticks, setTicks] = useState<Ticks>({ journal: 0, clock: 0, faults: 0, rate_limit: 0, switches: 0 });
  const reload = (...keys: PanelKey[]) =>
    setTicks((t) => {
      const next = { ...t };
      for (const k of keys) next[k]++;
      return next;
    });
  return { ticks, reload };
}

/** The event stream, (re)opened when the admin secret changes (`version`). */
export function useLive(
  version: number,
  view: ReturnType<typeof useOverview>,
  journal: ReturnType<typeof useJournal>,
  panels: ReturnType<typeof useTicks>,
): StreamState {
  const [stream, setStream] = useState<StreamState>('connecting');
  useEffect(() => {
    void view.load();
    const abort = new AbortController();
    void streamEvents(
      (event) => {
        if (event.type === 'change') void view.load();
        else if (event.type === 'request') {
          journal.add(event.data);
          // a request moves the fault rules' and the rate limit's counters
          panels.reload('faults', 'rate_limit');
        } else if (event.type === 'control') {
          panels.reload(event.data.control);
          // expiries on the page are relative to the mock's clock
          if (event.data.control === 'clock') void view.load();
          if (event.data.control === 'journal') void journal.load();
        }
      },
      (state) => {
        setStream(state);
        if (state === 'unauthorized') view.setNeedSecret(true);
        // whatever changed while the stream was down
        if (state === 'live') {
          void view.load();
          void journal.load();
          panels.reload('clock', 'faults', 'rate_limit', 'switches');
        }
      },
      abort.signal,
    );
    return () => abort.abort();
  }, [version]);
  return stream;
}
