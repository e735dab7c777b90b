// The live request journal, newest first: method, path, status, duration, principal, and any fault
// or switch that acted. Loaded from GET /__admin/requests when the stream (re)connects, then fed by
// its `request` events; at most one page is kept.
import { Fragment } from 'preact';
import type { HubEvent } from './api.js';
import { principalName, queryString, shortId, utc } from './format.js';
import { TableHead } from './table.js';

export type JournalEntry = Extract<HubEvent, { type: 'request' }>['data'];

/** Rows kept and shown: one page. */
export const JOURNAL_ROWS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path with each id the page knows (org, group, account, user) shortened, its name next to it. */
function NamedPath(props: { path: string; names: Map<string, string> }) {
  const parts = props.path.split('/');
  return (
    <>
      {parts.map((part, i) => {
        const name = UUID.test(part) ? props.names.get(part) : undefined;
        return (
          <Fragment key={i}>
            {i > 0 ? '/' : ''}
            {name ? (
              <span class="named-id" title={part}>
                {shortId(part)} <span class="id-name">{name}</span>
              </span>
            ) : (
              part
            )}
          </Fragment>
        );
      })}
    </>
  );
}

const statusClass = (status: number | null) => (status === null || status >= 500 ? 'status-5xx' : status >= 400 ? 'status-4xx' : 'status-2xx');

export function Journal(props: { available: boolean; entries: JournalEntry[]; names: Map<string, string>; onClear: () => void }) {
  const { entries } = props;
  return (
    <section aria-labelledby="journal-title" class="panel journal">
      <div class="panel-head">
        <h2 id="journal-title">Requests</h2>
        {props.available && entries.length > 0 ? (
          <button type="button" onClick={props.onClear}>
            Clear the journal
          </button>
        ) : null}
      </div>
      {!props.available ? (
        <p class="unavailable">The request journal is off on this server (--journal-size 0).</p>
      ) : entries.length === 0 ? (
        <p>No requests yet: they appear here as they arrive.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Requests served, newest first</caption>
          <TableHead columns={['Time', 'Method', 'Path', 'Status', 'Duration', 'Principal', 'Fault / switch']} />
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-request-id={e.id}>
                <td>
                  <time dateTime={e.time} title={utc(e.time)}>
                    {e.time.slice(11, 19)}
                  </time>
                </td>
                <td>{e.method}</td>
                <td class="path">
                  <NamedPath path={e.path} names={props.names} />
                  <span class="query">{queryString(e.query)}</span>
                </td>
                <td>
                  <span class={`status ${statusClass(e.status)}`}>{e.status ?? 'reset'}</span>
                </td>
                <td class="num">{Math.round(e.duration_ms * 10) / 10} ms</td>
                <td>{principalName(e.principal, props.names)}</td>
                <td>{[e.fault, e.switch].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
