// Reads the data file's JSON from chunks, a run of records at a time, so that a large store never
// exists as one string (less RSS at start: docs/decisions/0004-data-file-outline-scanner.md).
// Only the outline is scanned by hand: an object whose members are arrays (the collections) or
// other values (schemaVersion, logSeq). Every value, key and element is still parsed by JSON.parse,
// and anything else (invalid JSON included) returns undefined: the caller then parses the file
// whole, which gives exactly JSON.parse's result or error.

/** The parsed object and the length of its text in UTF-16 code units (what `text.length` would be). */
export interface ReadDocument {
  value: Record<string, unknown>;
  chars: number;
}

enum S {
  /** before the opening `{` */
  Start,
  /** after `{`: a key or `}` */
  FirstKey,
  /** after `,`: a key */
  Key,
  /** inside a key's string */
  InKey,
  Colon,
  /** after `:` */
  Value,
  /** after `[`: an element or `]` */
  FirstElement,
  /** after `,` in an array: an element */
  Element,
  /** after an element: `,` or `]` */
  AfterElement,
  /** after a member: `,` or `}` */
  AfterMember,
  /** after the closing `}`: whitespace only */
  End,
  /** inside a value or an element being captured */
  Capture,
}

/** the size of the runs of elements parsed at once: small strings, which die young */
const RUN_BYTES = 16 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** JSON's whitespace: space, tab, line feed, carriage return */
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Parses a JSON object, read from `chunks`, whose array members are parsed element by element;
 * `onElement` sees each element as soon as it is parsed (before the next is read). Undefined when
 * the text is not such an object or not valid JSON: parse it whole then, for JSON.parse's verdict.
 * Errors of `chunks` itself (reading the file) are thrown.
 */
export async function readDocument(chunks: AsyncIterable<Buffer>, onElement?: (member: string, element: unknown) => void): Promise<ReadDocument | undefined> {
  const reader = new OutlineReader(onElement);
  for await (const chunk of chunks) if (!reader.write(chunk)) return undefined;
  return reader.end();
}

/** The scanner itself, synchronous: a chunk at a time (its state in fields, as V8 optimises best). */
class OutlineReader {
  private readonly doc: Record<string, unknown> = {};
  private state = S.Start as S;
  private bytes = 0;
  /** chars minus bytes of the pieces decoded so far (the outline between them is ASCII) */
  private extraChars = 0;
  private key = '';
  /** the array being filled, when the member is one */
  private array: unknown[] = [];
  // the piece being captured: its bytes in earlier chunks, and where it starts in this one
  private parts: Buffer[] = [];
  private partBytes = 0;
  private start = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** the state a capture returns to, with the byte that ended it */
  private after = S.AfterMember as S;

  constructor(private readonly onElement?: (member: string, element: unknown) => void) {}

  end(): ReadDocument | undefined {
    return this.state === S.End ? { value: this.doc, chars: this.bytes + this.extraChars } : undefined;
  }

  /** False once the text is known not to be read this way. */
  write(chunk: Buffer): boolean {
    const n = chunk.length;
    this.bytes += n;
    let state = this.state;
    for (let i = 0; i < n; i++) {
      let b = chunk[i];
      if (state === S.Capture || state === S.InKey) {
        // most bytes are inside records: a tight loop (on locals) to the byte that ends the piece
        const inKey = state === S.InKey;
        // elements are parsed a run at a time (one JSON.parse per ~16 KiB, not per record)
        const run = state === S.Capture && this.after === S.AfterElement;
        const start = this.start;
        let { depth, inString, escaped } = this;
        for (; i < n; i++) {
          b = chunk[i];
          if (inString) {
            if (escaped) escaped = false;
            else if (b === BACKSLASH) escaped = true;
            else if (b === QUOTE) {
              inString = false;
              if (inKey) break;
            }
          } else if (b === QUOTE) inString = true;
          else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
          else if (b === COMMA) {
            if (depth === 0 && !(run && this.partBytes + i - start < RUN_BYTES)) break;
          } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
            if (depth === 0) break;
            depth--;
          }
        }
        this.depth = depth;
        this.inString = inString;
        this.escaped = escaped;
        if (i === n) break; // the piece goes on in the next chunk
        // a key ends with its closing quote; a value (or a run of elements) just before the byte that follows it
        const text = this.piece(chunk, inKey ? i + 1 : i);
        let value: unknown;
        try {
          value = JSON.parse(run ? `[${text}]` : text);
        } catch {
          return false;
        }
        if (inKey) {
          // JSON.parse makes "__proto__" an own member; an assignment would not: leave it to JSON.parse
          if (value === '__proto__') return false;
          this.key = value as string;
          state = S.Colon;
          continue;
        }
        if (run) {
          // the run's elements, exactly: a valid array's brackets balance, so its top-level commas are the ones counted here
          for (const element of value as unknown[]) {
            this.array.push(element);
            this.onElement?.(this.key, element);
          }
        } else this.doc[this.key] = value;
        state = this.after;
        // and the byte after the value is read in that state
      }
      if (isSpace(b)) continue;
      switch (state) {
        case S.Start:
          if (b !== OPEN_BRACE) return false;
          state = S.FirstKey;
          break;
        case S.FirstKey:
        case S.Key:
          if (b === CLOSE_BRACE && state === S.FirstKey) state = S.End;
          else if (b === QUOTE) {
            state = S.InKey;
            this.begin(i, b);
          } else return false;
          break;
        case S.Colon:
          if (b !== COLON) return false;
          state = S.Value;
          break;
        case S.Value:
        case S.FirstElement:
        case S.Element:
          if (b === OPEN_BRACKET && state === S.Value) {
            // a repeated key replaces the earlier value, in the earlier key's place (as JSON.parse does)
            this.doc[this.key] = this.array = [];
            state = S.FirstElement;
          } else if (b === CLOSE_BRACKET && state === S.FirstElement) state = S.AfterMember;
          else if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || b === COLON) return false;
          else {
            // a value starts: captured up to the `,`, `]` or `}` after it
            this.after = state === S.Value ? S.AfterMember : S.AfterElement;
            state = S.Capture;
            this.begin(i, b);
          }
          break;
        case S.AfterElement:
          if (b === COMMA) state = S.Element;
          else if (b === CLOSE_BRACKET) state = S.AfterMember;
          else return false;
          break;
        case S.AfterMember:
          if (b === COMMA) state = S.Key;
          else if (b === CLOSE_BRACE) state = S.End;
          else return false;
          break;
        case S.End:
          return false;
      }
    }
    this.state = state;
    // a piece still being read continues in the next chunk
    if (state === S.Capture || state === S.InKey) {
      this.parts.push(chunk.subarray(this.start));
      this.partBytes += n - this.start;
      this.start = 0;
    }
    return true;
  }

  /** A piece (a key, a value, a run of elements) starts at `at` with the byte `b`. */
  private begin(at: number, b: number): void {
    this.start = at;
    this.depth = b === OPEN_BRACE || b === OPEN_BRACKET ? 1 : 0;
    this.inString = b === QUOTE;
    this.escaped = false;
  }

  /** The text of the piece that ends at `end` in `chunk`. */
  private piece(chunk: Buffer, end: number): string {
    const { parts, start } = this;
    const text = parts.length === 0 ? chunk.toString('utf8', start, end) : Buffer.concat([...parts, chunk.subarray(start, end)]).toString('utf8');
    this.extraChars += text.length - (this.partBytes + end - start);
    this.parts = [];
    this.partBytes = 0;
    return text;
  }
}
