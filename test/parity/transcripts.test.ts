// Every transcript under parity/ replays against a fresh mock with 0 differences, says where it
// was made, and holds none of the demo credentials it was recorded with.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compare, formatReport } from '../../src/parity/compare.js';
import { readTranscript } from '../../src/parity/transcript.js';
import { TOKENS } from '../helper.js';

const dir = fileURLToPath(new URL('../../parity/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

t.ok(files.length > 0, 'there is a transcript');
for (const file of files) {
  t.test(file, async (t) => {
    const transcript = readTranscript(`${dir}${file}`);
    const { meta } = transcript;
    t.match(meta, { upstream: String, recorded_at: String, made_here: Boolean, note: String });
    if (meta.made_here) {
      t.type(meta.mock_version, 'string', 'made here against a mock: its version');
      t.match(meta.note, /^Made here/, 'and the note says so');
    }
    const text = readFileSync(`${dir}${file}`, 'utf8');
    t.same(
      Object.values(TOKENS).filter((s) => text.includes(s)),
      [],
      'no demo credential in clear',
    );
    const result = await compare(transcript);
    t.equal(result.differences.length, 0, formatReport(result));
  });
}
