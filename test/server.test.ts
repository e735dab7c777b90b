// Graceful close on signals (server.ts): the first SIGTERM/SIGINT closes the app (exit 0), a second
// one exits at once (1), and a close that fails exits 1 with the error logged. A stand-in for the
// process receives the signals and the exit code.
import t from 'tap';
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { closeOnSignals } from '../src/server.js';
import { buildApp, type AppOptions } from './helper.js';
import type { Tap } from './support/oauth.js';

/** The process as closeOnSignals sees it: signals in, exit codes out. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  return {
    exits,
    firstExit,
    signal: (s: 'SIGTERM' | 'SIGINT') => emitter.emit(s, s),
    target: {
      on: (s: 'SIGTERM' | 'SIGINT', fn: (s: NodeJS.Signals) => void) => emitter.on(s, fn),
      exit: (code: number) => {
        exits.push(code);
        exited(code);
      },
    },
  };
}

/** An onClose hook that waits until the test lets it finish (or fail). */
function heldClose() {
  let finish!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (finish = (err) => (err ? reject(err) : resolve())));
  let started!: () => void;
  const closing = new Promise<void>((r) => (started = r));
  return { hook: async () => (started(), done), closing, finish };
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal}: the app closes, then exit 0`, async (t) => {
    const app = await buildApp(t);
    const proc = fakeProcess();
    let closed = false;
    app.addHook('onClose', async () => {
      closed = true;
    });
    closeOnSignals(app, proc.target);
    proc.signal(signal);
    t.equal(await proc.firstExit, 0);
    t.ok(closed, 'closed before the exit');
    t.same(proc.exits, [0]);
  });
}

/** A start that the test finishes (or fails) when it chooses. */
function heldStart() {
  let finish!: (app: FastifyInstance) => void;
  let fail!: (err: Error) => void;
  const starting = new Promise<FastifyInstance>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { starting, finish, fail };
}
/** Lets queued promise callbacks run (no timer, no timing). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

t.test('a signal during the start: the app closes once the start is done, then exit 0', async (t) => {
  const app = await buildApp(t);
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });
  const proc = fakeProcess();
  const start = heldStart();
  closeOnSignals(start.starting, proc.target);
  proc.signal('SIGTERM');
  await settle();
  t.same(proc.exits, [], 'no exit while the start writes what it held back');
  t.notOk(closed, 'not closed while starting');
  start.finish(app);
  t.equal(await proc.firstExit, 0);
  t.ok(closed, 'closed before the exit');
});

t.test('a signal during a start that then fails: no exit here (the caller reports the failure)', async (t) => {
  const proc = fakeProcess();
  const start = heldStart();
  closeOnSignals(start.starting, proc.target, 0);
  proc.signal('SIGTERM');
  start.fail(new Error('EADDRINUSE'));
  await settle();
  await new Promise((r) => setTimeout(r, 5));
  // no handler of closeOnSignals leaves the rejection unhandled (tap would fail the file)
  t.same(proc.exits, [], 'neither exit 0 nor the forced exit 1');
});

/** An app closing on signals, sent SIGTERM; its close is held until the test finishes (or fails) it. */
async function closingApp(t: Tap, opts: AppOptions = {}, forceAfterMs?: number) {
  const app = await buildApp(t, opts);
  const proc = fakeProcess();
  const held = heldClose();
  app.addHook('onClose', held.hook);
  closeOnSignals(app, proc.target, forceAfterMs);
  proc.signal('SIGTERM');
  await held.closing;
  return { proc, held };
}

t.test('a second signal while closing exits 1 at once', async (t) => {
  const { proc, held } = await closingApp(t);
  t.same(proc.exits, [], 'still closing');
  proc.signal('SIGINT');
  t.same(proc.exits, [1], 'the second signal does not wait');
  held.finish();
});

t.test('a close that fails: exit 1, and the error is logged', async (t) => {
  const lines: string[] = [];
  const { proc, held } = await closingApp(t, { settings: { logLevel: 'info' }, logger: { stream: { write: (l: string) => void lines.push(l) } } });
  held.finish(new Error('the disk went away'));
  t.equal(await proc.firstExit, 1);
  const logged = lines.map((l) => JSON.parse(l) as { msg: string; err?: { message: string } });
  t.ok(logged.some((l) => l.msg === 'closing'));
  t.match(
    logged.find((l) => l.msg === 'error while closing'),
    { err: { message: 'the disk went away' } },
  );
});

t.test('a close that hangs: exit 1 once the grace period is over', async (t) => {
  const { proc, held } = await closingApp(t, {}, 0);
  t.equal(await proc.firstExit, 1, 'forced');
  held.finish();
});
