// The dashboard: the tree and one page of accounts, the users, the live request journal, the
// control panels, and the presenter's actions. The data comes from live.ts (the overview, the journal
// and the panels' reloads, all driven by the event stream); the credentials from presenter.tsx.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { deleteAccount, requests, resetToSeed, rotateSecret, type Level, type StreamState } from './api.js';
import { Accounts, type AccountAction } from './accounts.js';
import { Notices } from './control.js';
import { Controls } from './controls.js';
import { CreateDialog, mintedFrom } from './create.js';
import { ConfirmDialog, SecretDialog, type Minted } from './dialogs.js';
import { Journal } from './journal.js';
import { useJournal, useLive, useOverview, useTicks } from './live.js';
import { Presenter } from './presenter.js';
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
  const view = useOverview();
  const journal = useJournal();
  const panels = useTicks();
  const [secretVersion, setSecretVersion] = useState(0);
  const stream = useLive(secretVersion, view, journal, panels);
  const { overview, load } = view;
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>({ text: '' });

  // the figure the browser test reports: navigation start to the first rendered overview
  const marked = useRef(false);
  useEffect(() => {
    if (overview && !marked.current) {
      marked.current = true;
      performance.mark('dashboard-ready');
    }
  }, [overview]);

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
          view.restart();
          return 'Reset to the seed.';
        }),
    });

  /** Names of the ids the page knows (tree, accounts shown, users): the journal shows them next to ids. */
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const g of overview?.groups ?? []) {
      m.set(g.id, g.name);
      for (const o of g.orgs) m.set(o.id, o.name);
    }
    for (const o of overview?.orgs ?? []) m.set(o.id, o.name);
    for (const a of overview?.selected?.accounts ?? []) m.set(a.id, a.name);
    for (const u of overview?.users.items ?? []) m.set(u.id, u.name);
    return m;
  }, [overview]);

  const now = overview ? Date.now() + view.clockSkew : Date.now();
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
            {n.format(overview.totals.groups)} groups · {n.format(overview.totals.orgs)} orgs · {n.format(overview.totals.service_accounts)} service accounts ·{' '}
            {n.format(overview.totals.users)} users
          </p>
        ) : null}
        <p class={`stream stream-${stream}`} role="status">
          <span class="dot" aria-hidden="true" /> {STREAM_LABELS[stream]}
        </p>
        <ThemeToggle />
      </header>

      <main>
        <div class="bar">
          <Presenter needSecret={view.needSecret} onSecret={() => setSecretVersion((v) => v + 1)} />
          <Notices
            ok={notice.error ? '' : notice.text}
            error={notice.error ? notice.text : view.loadError ? `Could not load the overview: ${view.loadError}` : ''}
          />
        </div>

        {overview ? (
          <>
            <div class="layout">
              <div>
                <OwnerTree overview={overview} selected={overview.selected} onSelect={view.select} />
                <button type="button" class="danger reset" onClick={confirmReset}>
                  Reset to the seed
                </button>
              </div>
              {/* the accounts and the requests side by side in height: both in view on a 1280×800 screen */}
              <div class="live">
                {overview.selected ? (
                  <Accounts
                    selected={overview.selected}
                    now={now}
                    onPage={view.page}
                    onCreate={() => setDialog({ kind: 'create' })}
                    onAction={onAccountAction}
                  />
                ) : (
                  <section class="panel" id="accounts">
                    <h2>Service accounts</h2>
                    <p>There is no org or group yet.</p>
                  </section>
                )}
                <Journal
                  available={overview.panels.journal}
                  entries={journal.journal}
                  names={names}
                  onClear={() =>
                    void act(async () => {
                      await requests.clear();
                      await journal.load();
                      return 'Cleared the request journal.';
                    })
                  }
                />
              </div>
            </div>
            <Controls panels={overview.panels} ticks={panels.ticks} names={names} />
            <Users users={overview.users} onPage={view.usersPage} />
          </>
        ) : view.needSecret ? null : (
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
        <ConfirmDialog
          title={dialog.title}
          message={dialog.message}
          confirm={dialog.confirm}
          danger={dialog.danger}
          onConfirm={() => {
            setDialog(null);
            void dialog.run();
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}
