// The change log on disk (`<db>.log`; its format is change-log.ts): opened for appending on the
// first write, it holds exactly its header and the acknowledged transactions of log `seq`. Bytes a
// failed append or a crash left after them are cut off before the next append, so a restart never
// replays a write that was not acknowledged.
import { headerLine } from './change-log.js';
import type { AppendFile, FileSystem } from './file-system.js';

export class LogFile {
  /** seq of the log that continues the JSON file as it is on disk */
  seq = 0;
  /** bytes of the log known to be good: the header and acknowledged transactions of log `seq` */
  bytes = 0;
  /** the log on disk may hold more than those `bytes` (or another seq's): cut it before appending */
  dirty = false;
  private file: AppendFile | undefined;

  constructor(
    readonly path: string,
    private readonly fs: FileSystem,
  ) {}

  /** The log on disk is what load() found: `bytes` good bytes of log `seq` (0: start it anew). */
  found(seq: number, bytes: number, dirty: boolean): void {
    this.seq = seq;
    this.bytes = bytes;
    this.dirty = dirty;
  }

  /** Starts log `seq` empty (after a compaction): what the file holds is cut before the next append. */
  restart(seq: number): void {
    this.found(seq, 0, true);
  }

  /** Whether the log holds any transaction (not only its header). */
  holdsTransactions(): boolean {
    return this.bytes > headerLine(this.seq).length;
  }

  /** Opens the log, making it hold exactly the `bytes` good bytes of log `seq` (header first). */
  async ready(): Promise<AppendFile> {
    this.file ??= await this.fs.openAppend(this.path);
    if (this.dirty) {
      await this.file.truncate(this.bytes);
      this.dirty = false;
    }
    if (this.bytes === 0) {
      const header = headerLine(this.seq);
      this.dirty = true;
      await this.file.append(header);
      this.bytes = header.length;
      this.dirty = false;
    }
    return this.file;
  }

  /** Appends encoded transactions; resolves once they are on disk. A failed append is cut off again. */
  async append(buf: Buffer): Promise<void> {
    const log = await this.ready();
    this.dirty = true;
    try {
      await log.append(buf);
    } catch (err) {
      // these writes are rolled back: cut them off the log so that a restart cannot replay them
      // (if that fails too, the next append cuts them first, or fails)
      await log.truncate(this.bytes).then(
        () => (this.dirty = false),
        () => {},
      );
      throw err;
    }
    this.bytes += buf.length;
    this.dirty = false;
  }

  /** Closes the log and removes it (after a compaction that left it holding nothing). */
  async remove(): Promise<void> {
    await this.close();
    await this.fs.remove(this.path);
    this.bytes = 0;
    this.dirty = false;
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}
