// The dashboard: the tree and one page of accounts, the users, the live request journal, the
// control panels, and the presenter's actions. State comes from GET /__admin/overview, refreshed
// whenever the event stream reports a change; the journal from `request` events; each control
// panel from its admin route, reloaded when a `control` event names it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CallError, deleteAccount, fetchOverview, requests, resetToSeed, rotateSecret, session, streamEvents, type Level, type Overview, type OverviewParams, type StreamState } from './api.js';
import { Accounts, type AccountAction } from './accounts.js';
import { coalesce, Notices } from './control.js';
import { Controls, type PanelKey, type Ticks } from './controls.js';
import { CreateDialog, mintedFrom } from './create.js';
import { ConfirmDialog, SecretDialog, type Minted } from './dialogs.js';
import { Journal, JOURNAL_ROWS, type JournalEntry } from './journal.js';
import { ThemeToggle } from './theme.js';
import { OwnerTree } from './tree.js';
import { Users } from './users.js';

type DialogState =
  | { kind: 'create' }
  | { kind: 'secret'; minted: Minted }
  | { kind: 'confirm'; title: string; message: string; confirm: string; danger?: boolean; run: () => Promise<void> }
  | null;

const STREAM_LABELS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Admin secret needed',
};

export function App() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [loadError, setLoadError] = useState('');
  const [needSecret, setNeedSecret] = useState(false);
  const [secretVersion, setSecretVersion] = useState(0);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [journal, setJournal] = useState<JournalEntry[]>([]);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>({ text: '' });
  // the mock's clock minus the browser's, so "expires in" follows the mock (which tests may move)
  const [clockSkew, setClockSkew] = useState(0);

  const [ticks, setTicks] = useState<Ticks>({ journal: 0, clock: 0, faults: 0, rate_limit: 0, switches: 0 });
  const reloadPanels = (...keys: PanelKey[]) =>
    setTicks((t) => {
      const next = { ...t };
      for (const k of keys) next[k]++;
      return next;
    });

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

  /** The request events that arrive while the journal loads: newer than what it returns, or in it. */
  const arriving = useRef<JournalEntry[] | null>(null);
  /** The journal's last page, from GET /__admin/requests; events go on top of it. */
  const loadJournal = useMemo(
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

  useEffect(() => {
    void load();
    const abort = new AbortController();
    void streamEvents(
      (event) => {
        if (event.type === 'change') void load();
        else if (event.type === 'request') {
          arriving.current?.unshift(event.data);
          setJournal((rows) => [event.data, ...rows].slice(0, JOURNAL_ROWS));
          // a request moves the fault rules' and the rate limit's counters
          reloadPanels('faults', 'rate_limit');
        } else if (event.type === 'control') {
          reloadPanels(event.data.control);
          // expiries on the page are relative to the mock's clock
          if (event.data.control === 'clock') void load();
          if (event.data.control === 'journal') void loadJournal();
        }
      },
      (state) => {
        setStream(state);
        if (state === 'unauthorized') setNeedSecret(true);
        // whatever changed while the stream was down
        if (state === 'live') {
          void load();
          void loadJournal();
          reloadPanels('clock', 'faults', 'rate_limit', 'switches');
        }
      },
      abort.signal,
    );
    return () => abort.abort();
  }, [secretVersion]);

  // the figure the browser test reports: navigation start to the first rendered overview
  const marked = useRef(false);
  useEffect(() => {
    if (overview && !marked.current) {
      marked.current = true;
      performance.mark('dashboard-ready');
    }
  }, [overview]);

  const select = (owner: { level: Level; id: string }) => {
    params.current = { ...params.current, owner, offset: 0 };
    void load();
  };
  const page = (offset: number) => {
    const selected = overview?.selected;
    if (!selected) return;
    params.current = { ...params.current, owner: { level: selected.level, id: selected.id }, offset };
    void load();
  };
  const usersPage = (usersOffset: number) => {
    params.current = { ...params.current, usersOffset };
    void load();
  };

  /** Runs an action; its outcome goes to the status line (the change event refreshes the view). */
  const act = async (run: () => Promise<string | void>) => {
    try {
      const text = await run();
      if (text) setNotice({ text });
      void load();
    } catch (err) {
      setNotice({ text: (err as Error).message, error: true });
    }
  };

  const onAccountAction = ({ kind, account }: AccountAction) => {
    const owner = overview!.selected!;
    const target: [Level, string, string] = [owner.level, owner.id, account.id];
    if (kind === 'rotate') {
      setDialog({
        kind: 'confirm',
        title: `Rotate the secret of ${account.name}?`,
        message: 'Every client secret it has is replaced by a new one; the old ones stop working at once.',
        confirm: 'Rotate secret',
        run: () =>
          act(async () => {
            const minted = mintedFrom(await rotateSecret(...target));
            setDialog({ kind: 'secret', minted });
            return `Rotated the secret of ${account.name}.`;
          }),
      });
    } else {
      setDialog({
        kind: 'confirm',
        title: `Delete ${account.name}?`,
        message: 'The account and every credential it has are gone at once.',
        confirm: 'Delete',
        danger: true,
        run: () =>
          act(async () => {
            await deleteAccount(...target);
            return `Deleted ${account.name}.`;
          }),
      });
    }
  };

  const confirmReset = () =>
    setDialog({
      kind: 'confirm',
      title: 'Reset to the seed?',
      message: 'Every change since the start is undone: the store goes back to the fixtures the server started with.',
      confirm: 'Reset',
      danger: true,
      run: () =>
        act(async () => {
          await resetToSeed();
          params.current = {};
          return 'Reset to the seed.';
        }),
    });

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of overview?.selected?.accounts ?? []) m.set(a.id, a.name);
    for (const u of overview?.users.items ?? []) m.set(u.id, u.name);
    return m;
  }, [overview]);

  const now = overview ? Date.now() + clockSkew : Date.now();
  const n = new Intl.NumberFormat('en');

  return (
    <>
      <a class="skip" href="#accounts">
        Skip to the service accounts
      </a>
      <header class="top">
        <h1>
          snyk-mock <span class="subtitle">service accounts</span>
        </h1>
        {overview ? (
          <p class="totals">
            {n.format(overview.totals.groups)} groups · {n.format(overview.totals.orgs)} orgs · {n.format(overview.totals.service_accounts)} service accounts · {n.format(overview.totals.users)} users
          </p>
        ) : null}
        <p class={`stream stream-${stream}`} role="status">
          <span class="dot" aria-hidden="true" /> {STREAM_LABELS[stream]}
        </p>
        <ThemeToggle />
      </header>

      <main>
        <div class="bar">
          <Presenter needSecret={needSecret} onSecret={() => setSecretVersion((v) => v + 1)} />
          <Notices ok={notice.error ? '' : notice.text} error={notice.error ? notice.text : loadError ? `Could not load the overview: ${loadError}` : ''} />
        </div>

        {overview ? (
          <>
            <div class="layout">
              <div>
                <OwnerTree overview={overview} selected={overview.selected} onSelect={select} />
                <button type="button" class="danger reset" onClick={confirmReset}>
                  Reset to the seed
                </button>
              </div>
              {overview.selected ? (
                <Accounts
                  selected={overview.selected}
                  now={now}
                  onPage={page}
                  onCreate={() => setDialog({ kind: 'create' })}
                  onAction={onAccountAction}
                />
              ) : (
                <section class="panel" id="accounts">
                  <h2>Service accounts</h2>
                  <p>There is no org or group yet.</p>
                </section>
              )}
            </div>
            <Journal
              available={overview.panels.journal}
              entries={journal}
              names={names}
              onClear={() =>
                void act(async () => {
                  await requests.clear();
                  await loadJournal();
                  return 'Cleared the request journal.';
                })
              }
            />
            <Controls panels={overview.panels} ticks={ticks} names={names} />
            <Users users={overview.users} onPage={usersPage} />
          </>
        ) : needSecret ? null : (
          <p>Loading…</p>
        )}
      </main>

      {dialog?.kind === 'create' && overview?.selected ? (
        <CreateDialog
          owner={overview.selected}
          roles={overview.roles}
          now={now}
          onClose={() => setDialog(null)}
          onCreated={(minted) => {
            setDialog({ kind: 'secret', minted });
            setNotice({ text: `Created ${minted.account}.` });
            void load();
          }}
        />
      ) : null}
      {dialog?.kind === 'secret' ? <SecretDialog minted={dialog.minted} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'confirm' ? (
        <ConfirmDialog title={dialog.title} message={dialog.message} confirm={dialog.confirm} danger={dialog.danger} onConfirm={() => {
            setDialog(null);
            void dialog.run();
          }} onClose={() => setDialog(null)} />
      ) : null}
    </>
  );
}

/** The presenter's credentials: the API token for REST actions, and the admin secret when the server has one. */
function Presenter(props: { needSecret: boolean; onSecret: () => void }) {
  const [token, setToken] = useState(session.token.get());
  const [secret, setSecret] = useState('');
  return (
    <section aria-label="Credentials" class="presenter">
      <form class="field" onSubmit={(e) => e.preventDefault()}>
        <label for="rest-token">API token for actions</label>
        <input
          id="rest-token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={token}
          aria-describedby="rest-token-hint"
          onInput={(e) => {
            const value = (e.currentTarget as HTMLInputElement).value.trim();
            setToken(value);
            session.token.set(value);
          }}
        />
        <p id="rest-token-hint" class="hint">
          Creating, rotating and deleting go through the REST API as this token: use the demo token from the README (Quick start), or your SNYK_MOCK_DEMO_TOKEN.
        </p>
      </form>
      {props.needSecret ? (
        <form
          class="field login"
          onSubmit={(e) => {
            e.preventDefault();
            session.adminSecret.set(secret);
            setSecret('');
            props.onSecret();
          }}
        >
          <label for="admin-secret">Admin secret</label>
          <div class="copy-row">
            <input id="admin-secret" type="password" autoComplete="off" required value={secret} onInput={(e) => setSecret((e.currentTarget as HTMLInputElement).value)} aria-describedby="admin-secret-hint" />
            <button type="submit" class="primary">
              Sign in
            </button>
          </div>
          <p id="admin-secret-hint" class="hint">
            This server has an admin secret (SNYK_MOCK_ADMIN_SECRET). It is kept in this tab only.
          </p>
        </form>
      ) : null}
    </section>
  );
}
