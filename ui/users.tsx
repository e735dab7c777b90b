// The users and their roles; the demo user is marked (its token is never on the page).
import type { Overview } from './api.js';
import { Pager, TableHead } from './table.js';

export function Users(props: { users: Overview['users']; onPage: (offset: number) => void }) {
  const u = props.users;
  return (
    <section aria-labelledby="users-title" class="panel users">
      <h2 id="users-title">Users</h2>
      <table>
        <TableHead columns={['Name', 'Username', 'Roles']} />
        <tbody>
          {u.items.map((user) => (
            <tr key={user.id}>
              <th scope="row">
                {user.name} {user.demo ? <span class="badge">demo user</span> : null}
              </th>
              <td>{user.username}</td>
              <td>
                <ul class="plain">
                  {user.roles.map((r) => (
                    <li>
                      {r.role.name} of <span class="owner-name">{r.scope.name}</span>
                    </li>
                  ))}
                  {user.roles.length === 0 ? <li>none</li> : null}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager offset={u.offset} limit={u.limit} total={u.total} shown={u.items.length} what="users" onPage={props.onPage} />
    </section>
  );
}
