// Child script of test/logging.test.ts: logs through the default destination, then exits in the same
// turn (as a fatal start error does), so only the exit hook can write the lines.
import pino from 'pino';
import { LinesPerTurn } from '../../src/logging/stream.js';

const log = pino({ base: undefined }, new LinesPerTurn(pino.destination({ dest: 1, sync: true })));
for (let i = 0; i < 3; i++) log.info({ i }, 'before exit');
process.exit(Number(process.argv[2] ?? 0));
