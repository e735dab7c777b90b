// Pieces every table of the page shares: its column headers, and paging over offsets.
import type { ComponentChildren } from 'preact';

export function TableHead(props: { columns: ComponentChildren[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
      </tr>
    </thead>
  );
}

/** Previous / next over offset paging, with "1–100 of 10,000". */
export function Pager(props: { offset: number; limit: number; total: number; shown: number; what: string; onPage: (offset: number) => void }) {
  const { offset, limit, total } = props;
  if (total <= limit && offset === 0) return null;
  const n = new Intl.NumberFormat('en');
  return (
    <fieldset class="pager" aria-label={`Pages of ${props.what}`}>
      <button type="button" disabled={offset === 0} onClick={() => props.onPage(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span aria-live="polite">
        {props.shown ? `${n.format(offset + 1)}–${n.format(offset + props.shown)}` : 'none'} of {n.format(total)}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => props.onPage(offset + limit)}>
        Next
      </button>
    </fieldset>
  );
}
