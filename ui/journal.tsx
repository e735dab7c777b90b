// The live request journal, newest first: method, path, status, duration, principal, and any fault
// or switch that acted. Fed by `request` events from GET /__admin/events; at most one page is kept.
import type { HubEvent } from './api.js';
import { describe, queryString, shortId, utc } from './format.js';
import { TableHead } from './table.js';

export type JournalEntry = Extract<HubEvent, { type: 'request' }>['data'];

/** Rows kept and shown: one page. */
export const JOURNAL_ROWS = 100;

const statusClass = (status: number) => (status >= 500 ? 'status-5xx' : status >= 400 ? 'status-4xx' : 'status-2xx');

export function Journal(props: { available: boolean; entries: JournalEntry[]; names: Map<string, string> }) {
  const { entries } = props;
  const principal = (p: JournalEntry['principal']) => (p ? `${p.type === 'service_account' ? 'account' : p.type} ${props.names.get(p.id) ?? shortId(p.id)}` : '—');
  return (
    <section aria-labelledby="journal-title" class="panel journal">
      <h2 id="journal-title">Requests</h2>
      {!props.available && entries.length === 0 ? (
        <p class="unavailable">The request journal is not available on this server.</p>
      ) : entries.length === 0 ? (
        <p>No requests yet: they appear here as they arrive.</p>
      ) : (
        <table>
          <TableHead columns={['Time', 'Method', 'Path', 'Status', 'Duration', 'Principal', 'Fault / switch']} />
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.time} title={utc(e.time)}>
                    {e.time.slice(11, 19)}
                  </time>
                </td>
                <td>{e.method}</td>
                <td class="path">
                  {e.path}
                  <span class="query">{queryString(e.query)}</span>
                </td>
                <td>
                  <span class={`status ${statusClass(e.status)}`}>{e.status}</span>
                </td>
                <td class="num">{Math.round(e.duration_ms * 10) / 10} ms</td>
                <td>{principal(e.principal)}</td>
                <td>{[describe(e.fault), describe(e.switch)].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
