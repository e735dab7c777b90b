// on-exit-leak-free (pino's own exit hooks, by the same authors) ships no types: what the logger uses.
declare module 'on-exit-leak-free' {
  /** Calls `fn(obj)` on process exit, holding `obj` weakly. */
  export function register<T extends object>(obj: T, fn: (obj: T, event: 'exit') => void): void;
  export function unregister(obj: object): void;
  const onExit: { register: typeof register; unregister: typeof unregister };
  export default onExit;
}
