// Groups → orgs, each with its number of service accounts; choosing one shows its accounts.
import type { Level, Overview } from './api.js';

type Owner = { level: Level; id: string; name: string };

export function OwnerTree(props: { overview: Overview; selected: Overview['selected']; onSelect: (owner: Owner) => void }) {
  const { overview, selected } = props;
  const item = (level: Level, o: { id: string; name: string; service_accounts: number }) => {
    const current = selected?.level === level && selected.id === o.id;
    return (
      <button type="button" class="owner" aria-current={current ? 'true' : undefined} onClick={() => props.onSelect({ level, id: o.id, name: o.name })}>
        <span class="kind">{level === 'Group' ? 'Group' : 'Org'}</span>{' '}
        <span class="name" title={o.name}>
          {o.name}
        </span>{' '}
        <span class="count">
          {o.service_accounts}
          <span class="visually-hidden"> service accounts</span>
        </span>
      </button>
    );
  };
  return (
    <nav aria-labelledby="tree-title" class="panel tree">
      <h2 id="tree-title">Groups and orgs</h2>
      <ul>
        {overview.groups.map((g) => (
          <li key={g.id}>
            {item('Group', g)}
            {g.orgs.length ? (
              <ul>
                {g.orgs.map((o) => (
                  <li key={o.id}>{item('Org', o)}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
        {overview.orgs.map((o) => (
          <li key={o.id}>{item('Org', o)}</li>
        ))}
      </ul>
    </nav>
  );
}
