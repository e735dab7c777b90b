// compare on transcripts of its own: a token request with a client assertion is skipped (no
// transcript holds the key to sign another), a running mock that cannot be seeded is an error.
import t from 'tap';
import { compare, formatReport } from '../../src/parity/compare.js';
import { TRANSCRIPT_FORMAT, type Transcript } from '../../src/parity/transcript.js';

const transcript: Transcript = {
  format: TRANSCRIPT_FORMAT,
  meta: {
    upstream: 'http://upstream.invalid',
    recorded_at: '2026-01-01T00:00:00Z',
    made_here: true,
    mock_version: 'test',
    recorder_version: 'test',
    note: 'Made here',
    secret_forms: { '<secret:1>': 'jwt' },
  },
  exchanges: [
    {
      index: 0,
      request: {
        method: 'POST',
        path: '/oauth2/token',
        query: [],
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: {
          kind: 'form',
          value: [
            ['grant_type', 'client_credentials'],
            ['client_assertion', '<secret:1>'],
          ],
        },
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { kind: 'json', value: { access_token: '<secret:2>', token_type: 'bearer' } },
      },
    },
    {
      index: 1,
      request: { method: 'GET', path: '/rest/openapi', query: [], headers: {}, body: { kind: 'none' } },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: ['2023-09-07'] } },
    },
  ],
};

t.test('a client assertion cannot be made again: skipped, not a difference', async (t) => {
  const r = await compare(transcript);
  t.match(r.skipped, [{ index: 0, method: 'POST', path: '/oauth2/token', reason: /private key/ }]);
  const report = formatReport(r);
  t.match(report, /#0 POST \/oauth2\/token {2}skipped: a client assertion/);
  t.match(report, /\d+ differences? in 2 exchanges \(against an in-process mock, 1 skipped\)$/);
});

t.test('--against a mock that cannot be seeded: an error that says so', async (t) => {
  await t.rejects(compare(transcript, { against: 'http://127.0.0.1:1' }));
});
