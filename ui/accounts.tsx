// One page (at most 100) of one owner's service accounts: what each is, its credentials' kinds and
// expiries (never a secret), its live OAuth tokens, and the presenter's actions on it.
import type { Account, Overview } from './api.js';
import { AUTH_TYPE_LABELS, CREDENTIAL_LABELS, fromNow, utc } from './format.js';
import { Pager, TableHead } from './table.js';

export type AccountAction = { kind: 'rotate' | 'delete'; account: Account };

function Credentials(props: { account: Account; now: number }) {
  const { credentials, oauth_tokens: tokens } = props.account;
  return (
    <ul class="plain">
      {credentials.map((c) => (
        <li>
          {CREDENTIAL_LABELS[c.kind] ?? c.kind}
          {c.expires_at ? (
            <>
              , expires{' '}
              <time dateTime={c.expires_at} title={utc(c.expires_at)}>
                {fromNow(c.expires_at, props.now)}
              </time>
            </>
          ) : null}
        </li>
      ))}
      {props.account.auth_type === 'oauth_private_key_jwt' ? <li>signs with its private key</li> : null}
      {props.account.auth_type.startsWith('oauth_') ? (
        <li>
          {tokens.live} live OAuth token{tokens.live === 1 ? '' : 's'}
          {tokens.soonest_expiry ? (
            <>
              , next expiry{' '}
              <time dateTime={tokens.soonest_expiry} title={utc(tokens.soonest_expiry)}>
                {fromNow(tokens.soonest_expiry, props.now)}
              </time>
            </>
          ) : null}
          {tokens.latest_expiry && tokens.latest_expiry !== tokens.soonest_expiry ? (
            <>
              , last{' '}
              <time dateTime={tokens.latest_expiry} title={utc(tokens.latest_expiry)}>
                {fromNow(tokens.latest_expiry, props.now)}
              </time>
            </>
          ) : null}
        </li>
      ) : null}
    </ul>
  );
}

export function Accounts(props: {
  selected: NonNullable<Overview['selected']>;
  now: number;
  onPage: (offset: number) => void;
  onCreate: () => void;
  onAction: (action: AccountAction) => void;
}) {
  const s = props.selected;
  const first = s.total === 0 ? 0 : s.offset + 1;
  const last = Math.min(s.offset + s.accounts.length, s.total);
  return (
    <section aria-labelledby="accounts-title" class="panel accounts" id="accounts">
      <div class="panel-head">
        <h2 id="accounts-title">
          Service accounts of <span class="owner-name">{s.name}</span> <span class="kind">({s.level === 'Org' ? 'org' : 'group'})</span>
        </h2>
        <button type="button" class="primary" onClick={props.onCreate}>
          New account
        </button>
      </div>
      <table>
        <caption class="visually-hidden">
          Service accounts of {s.name}, {first} to {last} of {s.total}
        </caption>
        <TableHead columns={['Name and auth type', 'Role', 'Created', 'Credentials', <span class="visually-hidden">Actions</span>]} />
        <tbody>
          {s.accounts.map((a) => (
            <tr key={a.id} data-account-id={a.id}>
              <th scope="row">
                <span class="name">{a.name}</span>
                <span class="auth-type">{AUTH_TYPE_LABELS[a.auth_type] ?? a.auth_type}</span>
              </th>
              <td>
                {a.role.name} <span class="kind">({a.level})</span>
              </td>
              <td>
                <time dateTime={a.created_at} title={utc(a.created_at)}>
                  {fromNow(a.created_at, props.now)}
                </time>
              </td>
              <td>
                <Credentials account={a} now={props.now} />
              </td>
              <td>
                <div class="row-actions">
                  {a.auth_type === 'oauth_client_secret' ? (
                    <button type="button" onClick={() => props.onAction({ kind: 'rotate', account: a })} aria-label={`Rotate secret of ${a.name}`}>
                      Rotate secret
                    </button>
                  ) : null}
                  <button type="button" class="danger" onClick={() => props.onAction({ kind: 'delete', account: a })} aria-label={`Delete ${a.name}`}>
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.total === 0 ? <p>No service accounts here yet.</p> : null}
      <Pager offset={s.offset} limit={s.limit} total={s.total} shown={s.accounts.length} what="accounts" onPage={props.onPage} />
    </section>
  );
}
