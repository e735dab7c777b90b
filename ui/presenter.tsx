// The presenter's credentials: the API token the page's REST actions use (one click puts in the
// demo token, documented and fixed, when the server has one), and the admin secret when the
// server has one. Nothing else secret is ever offered to the page.
import { useEffect, useState } from 'preact/hooks';
import { fetchDemoToken, session } from './api.js';

export function Presenter(props: { needSecret: boolean; onSecret: () => void }) {
  const [token, setToken] = useState(session.token.get());
  const [secret, setSecret] = useState('');
  const [demo, setDemo] = useState<string | null>(null);
  useEffect(() => {
    fetchDemoToken().then(setDemo, () => setDemo(null));
  }, [props.needSecret]);
  const use = (value: string) => {
    setToken(value);
    session.token.set(value);
  };
  return (
    <section aria-label="Credentials" class="presenter">
      <form class="field token-field" onSubmit={(e) => e.preventDefault()}>
        <label for="rest-token">API token for actions</label>
        <div class="copy-row">
          <input
            id="rest-token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={token}
            aria-describedby="rest-token-hint"
            onInput={(e) => use((e.currentTarget as HTMLInputElement).value.trim())}
          />
          {demo ? (
            <button type="button" class="demo-token" disabled={token === demo} onClick={() => use(demo)}>
              {token === demo ? 'Demo token in use' : 'Use the demo token'}
            </button>
          ) : null}
        </div>
        <p id="rest-token-hint" class="hint">
          Creating, rotating and deleting in this page go through the REST API as this token.
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
            <input
              id="admin-secret"
              type="password"
              autoComplete="off"
              required
              value={secret}
              onInput={(e) => setSecret((e.currentTarget as HTMLInputElement).value)}
              aria-describedby="admin-secret-hint"
            />
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
