// Modal dialogs on the native <dialog> (focus moves in and back, Escape closes, the page behind is
// inert). A dialog exists in the DOM only while it is open: a secret is gone once its dialog closes.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren; id?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(props.onClose);
  onCloseRef.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    const onClose = () => onCloseRef.current();
    dialog.addEventListener('close', onClose);
    return () => {
      dialog.removeEventListener('close', onClose);
      // closed by the page (not by the user): close() still hands focus back to where it was
      if (dialog.open) dialog.close();
    };
  }, []);
  const titleId = `${props.id ?? 'dialog'}-title`;
  return (
    <dialog ref={ref} id={props.id} aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** What a create or a rotation minted: shown here once, then forgotten by the page. */
export interface Minted {
  account: string;
  /** the secret, with what it is ("API key", "client secret", "access token") */
  secret?: { label: string; value: string };
  clientId?: string;
  note?: string;
}

export function SecretDialog(props: { minted: Minted; onClose: () => void }) {
  const { minted } = props;
  const [copied, setCopied] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    const value = minted.secret!.value;
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      // no clipboard API (e.g. plain http from another host): select it for Ctrl+C
      field.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <Dialog id="secret-dialog" title={`${minted.account}: copy it now`} onClose={props.onClose}>
      {minted.secret ? (
        <>
          <p>
            This {minted.secret.label} is shown <strong>once</strong>: the mock keeps only its digest.
          </p>
          <label for="minted-secret">{minted.secret.label}</label>
          <div class="copy-row">
            <input id="minted-secret" class="secret" readOnly value={minted.secret.value} ref={field} spellcheck={false} />
            <button type="button" onClick={copy}>
              Copy
            </button>
          </div>
          <p role="status" class="hint">
            {copied}
          </p>
        </>
      ) : null}
      {minted.clientId ? (
        <p>
          Client id: <code>{minted.clientId}</code>
        </p>
      ) : null}
      {minted.note ? <p>{minted.note}</p> : null}
      <form method="dialog" class="actions">
        <button type="submit" class="primary">
          Done
        </button>
      </form>
    </Dialog>
  );
}

export function ConfirmDialog(props: { title: string; message: string; confirm: string; danger?: boolean; onConfirm: () => void; onClose: () => void }) {
  return (
    <Dialog id="confirm-dialog" title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      <form method="dialog" class="actions">
        <button type="submit" value="cancel">
          Cancel
        </button>
        <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </form>
    </Dialog>
  );
}
