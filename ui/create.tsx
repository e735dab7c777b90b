// Create a service account through the REST API, as a client would: any auth type, a role of the
// owner's level. What Snyk returns once (API key, client secret, access token) goes to the secret dialog.
import { useState } from 'preact/hooks';
import { createAccount, type CreateAttributes, type Level, type Overview } from './api.js';
import { Dialog, type Minted } from './dialogs.js';
import { AUTH_TYPE_LABELS } from './format.js';

type AuthType = CreateAttributes['auth_type'];
const AUTH_TYPES = Object.keys(AUTH_TYPE_LABELS) as AuthType[];

/** 30 days after `now`, as a datetime-local value (UTC). */
const inThirtyDays = (now: number) => new Date(now + 30 * 86400_000).toISOString().slice(0, 16);

export function mintedFrom(response: Awaited<ReturnType<typeof createAccount>>): Minted {
  const a = response.data.attributes;
  const secret = a.api_key
    ? { label: 'API key', value: a.api_key }
    : a.client_secret
      ? { label: 'client secret', value: a.client_secret }
      : a.access_token
        ? { label: 'access token', value: a.access_token }
        : undefined;
  return {
    account: a.name,
    ...(secret ? { secret } : {}),
    ...(a.client_id ? { clientId: a.client_id } : {}),
    ...(a.auth_type === 'oauth_private_key_jwt' ? { note: 'No secret: this account signs its token requests with the private key behind its JWKS.' } : {}),
  };
}

export function CreateDialog(props: {
  owner: { level: Level; id: string; name: string };
  roles: Overview['roles'];
  now: number;
  onCreated: (minted: Minted) => void;
  onClose: () => void;
}) {
  const roles = props.roles.filter((r) => r.level === props.owner.level);
  const [authType, setAuthType] = useState<AuthType>('api_key');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const attributes: CreateAttributes = { name: text('name'), auth_type: authType, role_id: text('role_id') };
    if (authType === 'oauth_private_key_jwt') attributes.jwks_url = text('jwks_url');
    if (authType === 'access_token') attributes.access_token_expires_at = new Date(`${text('expires_at')}Z`).toISOString();
    if (authType.startsWith('oauth_') && text('ttl')) attributes.access_token_ttl_seconds = Number(text('ttl'));
    setBusy(true);
    setError('');
    try {
      props.onCreated(mintedFrom(await createAccount(props.owner.level, props.owner.id, attributes)));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog id="create-dialog" title={`New service account in ${props.owner.name}`} onClose={props.onClose}>
      <form onSubmit={submit} class="stack">
        <label for="create-name">Name</label>
        <input id="create-name" name="name" required autoComplete="off" />
        <label for="create-auth-type">Auth type</label>
        <select id="create-auth-type" name="auth_type" value={authType} onChange={(e) => setAuthType((e.currentTarget as HTMLSelectElement).value as AuthType)}>
          {AUTH_TYPES.map((t) => (
            <option value={t}>{AUTH_TYPE_LABELS[t]}</option>
          ))}
        </select>
        <label for="create-role">Role</label>
        <select id="create-role" name="role_id" required>
          {roles.map((r) => (
            <option value={r.id}>{r.name}</option>
          ))}
        </select>
        {authType === 'oauth_private_key_jwt' ? (
          <>
            <label for="create-jwks">JWKS URL (https)</label>
            <input id="create-jwks" name="jwks_url" type="url" required placeholder="https://example.com/.well-known/jwks.json" />
          </>
        ) : null}
        {authType === 'access_token' ? (
          <>
            <label for="create-expires">Expires at (UTC, at most a year away)</label>
            <input id="create-expires" name="expires_at" type="datetime-local" required value={inThirtyDays(props.now)} />
          </>
        ) : null}
        {authType.startsWith('oauth_') ? (
          <>
            <label for="create-ttl">Access token lifetime, seconds (3600–86400; default 3600)</label>
            <input id="create-ttl" name="ttl" type="number" min={3600} max={86400} step={1} />
          </>
        ) : null}
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : null}
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
