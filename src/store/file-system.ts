// The file-system calls the file store makes, behind one interface so tests can inject failures
// (tests run as root, so permissions cannot make a write fail). Durable writes: a temp file, fsync,
// rename over the target, fsync the directory; appends fdatasync before they resolve.
import { mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file opened for appending (the change log). */
export interface AppendFile {
  /** Appends all of `data` and fdatasyncs: resolves once it is on disk. */
  append(data: Buffer): Promise<void>;
  /** Cuts the file to `length` bytes and fdatasyncs. */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls the store makes, so tests can inject failures (tests run as root). */
export interface FileSystem {
  readFile(path: string): Promise<string | undefined>;
  /** The file in chunks (its errors thrown while they are read); undefined if it does not exist. */
  readChunks(path: string): Promise<AsyncIterable<Buffer> | undefined>;
  readBytes(path: string): Promise<Buffer | undefined>;
  /** temp file, fsync, rename over `path`, fsync the directory */
  writeFileDurably(path: string, text: string): Promise<void>;
  /** Opens `path` for appending, creating it (and fsyncing its directory) if it does not exist. */
  openAppend(path: string): Promise<AppendFile>;
  /** Removes `path` if it exists. */
  remove(path: string): Promise<void>;
}

const READ_CHUNK_BYTES = 1024 * 1024;

/** `p`'s value, or undefined when it fails with ENOENT. */
export const ifExists = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** The temp file a durable write of `path` goes through: `.<name>.<pid>.tmp` beside it. */
export const tempFileOf = (path: string, pid = process.pid): string => join(dirname(path), `.${basename(path)}.${pid}.tmp`);

/**
 * Removes the temp files that writes of `path` by earlier processes left behind (a crash or a
 * failed write between the temp file and its rename). Only while holding the data file's lock: then
 * no other process is writing one. Returns the files removed.
 */
export async function removeStrayTempFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const names = (await ifExists(readdir(dir))) ?? [];
  const stray = names.filter((n) => n.startsWith(prefix) && /^\d+\.tmp$/.test(n.slice(prefix.length))).map((n) => join(dir, n));
  for (const file of stray) await ifExists(unlink(file));
  return stray;
}

class NodeAppendFile implements AppendFile {
  constructor(private readonly fh: FileHandle) {}
  async append(data: Buffer) {
    // O_APPEND: each write lands at the end, also after a truncate
    for (let off = 0; off < data.length; ) off += (await this.fh.write(data, off, data.length - off)).bytesWritten;
    await this.fh.datasync();
  }
  async truncate(length: number) {
    await this.fh.truncate(length);
    await this.fh.datasync();
  }
  async close() {
    await this.fh.close();
  }
}

export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    return ifExists(readFile(path, 'utf8'));
  },
  async readBytes(path) {
    return ifExists(readFile(path));
  },
  async readChunks(path) {
    const fh = await ifExists(open(path, 'r'));
    if (!fh) return undefined;
    return (async function* () {
      try {
        for (;;) {
          // a fresh buffer each time: a record cut by the chunk's end keeps a view of it
          const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
          const { bytesRead } = await fh.read(buf, 0, READ_CHUNK_BYTES, null);
          if (bytesRead === 0) return;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    })();
  },
  async writeFileDurably(path, text) {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmp = tempFileOf(path);
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    } catch (err) {
      // a failed write (a full disk) takes its temp file with it
      await ifExists(unlink(tmp)).catch(() => {});
      throw err;
    }
    await syncDir(dir);
  },
  async openAppend(path) {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const existed = (await ifExists(stat(path))) !== undefined;
    const fh = await open(path, 'a');
    if (!existed) await syncDir(dir);
    return new NodeAppendFile(fh);
  },
  async remove(path) {
    await ifExists(unlink(path));
  },
};
