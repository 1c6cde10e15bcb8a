import { AsyncZipDeflate, strToU8, Zip, ZipDeflate } from "fflate";

const DEFLATE = { level: 6 } as const;

/**
 * From this size a file is deflated on a worker thread: starting one costs ~50 ms, while
 * deflating a megabyte costs ~30 ms on this thread, with nothing else served meanwhile.
 */
const WORKER_FROM_CHARS = 1_000_000;

/**
 * A zip archive written piece by piece (.qdpx, .xlsx), its bytes taken as they come so that a
 * big export is streamed. Small files are deflated at once on this thread, and so is a file
 * written in pieces (a sheet, a page of rows per piece); a big file given whole (a project of
 * 50,000 selections: tens of MB, seconds of deflate) may go to a worker thread, so that the
 * collaboration served by this event loop does not stall meanwhile.
 */
export class ZipWriter {
  private readonly output: Uint8Array[] = [];
  private failure: Error | null = null;
  private readonly zip: Zip;
  private readonly done: Promise<void>;

  constructor() {
    let finished: () => void = () => {};
    this.done = new Promise<void>((resolve) => (finished = resolve));
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.failure = error;
      else this.output.push(chunk);
      if (error || final) finished();
    });
  }

  add(path: string, content: string): void {
    this.open(path).push(content, true);
  }

  /**
   * A file written piece by piece (a sheet read a page at a time), each piece deflated on this
   * thread as it comes: its bytes are ready to take at once, and nothing waits in memory.
   */
  open(path: string): { push(content: string, final?: boolean): void } {
    const file = new ZipDeflate(path, DEFLATE);
    this.zip.add(file);
    return { push: (content, final = false) => file.push(strToU8(content), final) };
  }

  /** A file that may be big: on a worker thread when it is. */
  addLarge(path: string, content: string): void {
    if (content.length < WORKER_FROM_CHARS) return this.add(path, content);
    const file = new AsyncZipDeflate(path, DEFLATE);
    this.zip.add(file);
    file.push(strToU8(content), true);
  }

  /** The bytes written since the last call. */
  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    return this.output.splice(0);
  }

  /** Closes the archive once every file is deflated; returns the last bytes. */
  async end(): Promise<Uint8Array[]> {
    this.zip.end();
    await this.done;
    return this.take();
  }
}
