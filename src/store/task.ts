// One piece of work tied to what is on screen for the selection — a log stream, stats, top, an
// inspect, a pane's load: starting it for another key (another row, another tab) cancels the one
// before, in this one place. The work gets an AbortSignal and stops when it fires.

export class SelectionTask {
  private key: string | undefined;
  private ctl: AbortController | undefined;

  /** The key the running work is for (undefined: none runs). */
  get current(): string | undefined {
    return this.key;
  }

  /**
   * Starts `work` for `key` unless it already runs for that key; the previous work is aborted
   * first. `key` undefined only cancels. Returns true when it started something.
   */
  run(key: string | undefined, work: (signal: AbortSignal) => void): boolean {
    if (key === this.key) return false;
    this.cancel();
    if (key === undefined) return false;
    this.key = key;
    const ctl = (this.ctl = new AbortController());
    work(ctl.signal);
    return true;
  }

  /** Stops the running work, if any. */
  cancel(): void {
    this.ctl?.abort();
    this.ctl = undefined;
    this.key = undefined;
  }
}
