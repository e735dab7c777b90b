// Redaction: each secret becomes the same <secret:N> wherever it appears; ids and the rest are kept.
import t from 'tap';
import { Redactor } from '../../src/parity/redact.js';

const KEY = '5a000000-0000-4000-8000-00000000a001';
const SECRET = 'a-client-secret-of-forty-characters-long';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

t.test('the same secret, the same placeholder; another, another', async (t) => {
  const r = new Redactor();
  t.equal(r.authorization(`token ${KEY}`), 'token <secret:1>');
  t.equal(r.authorization(`bearer ${SECRET}`), 'bearer <secret:2>');
  t.equal(r.placeholder(KEY), '<secret:1>');
  t.same(r.forms, { '<secret:1>': 'uuid', '<secret:2>': 'string' });
  t.equal(r.authorization('just-a-value-without-scheme'), '<secret:3>');
});

t.test('JSON: secret keys and secret-looking values; ids kept', async (t) => {
  const r = new Redactor();
  const body = {
    data: {
      id: '67878f29-f659-4b85-b20c-1b17e96ae573',
      attributes: {
        name: 'ci',
        client_id: 'ad2acfed-ea00-444c-9df2-c98f41b10335',
        api_key: KEY,
        client_secret: SECRET,
        access_token: 'snyk_sat.1a2b3c4d.abc.def',
        jwks: PEM,
      },
    },
    errors: [{ code: 'SNYK-0005', detail: `token ${JWT} rejected` }],
  };
  const out = r.json(body) as typeof body;
  t.same(out.data.attributes, {
    name: 'ci',
    client_id: 'ad2acfed-ea00-444c-9df2-c98f41b10335',
    api_key: '<secret:1>',
    client_secret: '<secret:2>',
    access_token: '<secret:3>',
    jwks: '<secret:4>',
  });
  t.equal(out.data.id, body.data.id, 'ids kept');
  t.equal(out.errors[0].code, 'SNYK-0005', 'an error code is no secret');
  t.equal(r.text(`token ${JWT} rejected`), `token ${JWT} rejected`, 'a JWT inside prose is only caught once known');
  r.placeholder(JWT);
  t.equal(r.text(`the key ${KEY} and ${JWT}`), 'the key <secret:1> and <secret:5>', 'known secrets replaced inside text');
});

t.test('forms, queries and headers', async (t) => {
  const r = new Redactor();
  t.same(
    r.pairs([
      ['grant_type', 'client_credentials'],
      ['client_id', 'c1'],
      ['client_secret', SECRET],
      ['client_assertion', JWT],
    ]),
    [
      ['grant_type', 'client_credentials'],
      ['client_id', 'c1'],
      ['client_secret', '<secret:1>'],
      ['client_assertion', '<secret:2>'],
    ],
  );
  t.same(r.requestHeaders({ authorization: `token ${KEY}`, 'content-type': 'application/vnd.api+json', cookie: 'x', 'x-other': 'y' }), {
    'content-type': 'application/vnd.api+json',
    authorization: 'token <secret:3>',
  });
  t.same(r.responseHeaders({ 'set-cookie': 'session=1', date: 'now', 'x-echo': `bearer ${SECRET}`, Location: 'http://x/a' }), {
    'x-echo': 'bearer <secret:1>',
    location: 'http://x/a',
  });
  t.same(r.body({ kind: 'text', value: `bad ${SECRET}` }), { kind: 'text', value: 'bad <secret:1>' });
  t.same(r.scrub({ a: [`${KEY}!`] }), { a: ['<secret:3>!'] });
});
