// An engine call that a key started, bounded: while it is in flight the engine is pinged now and
// then; a slow call on a live engine (a stop waiting out the container's grace period) goes on, but
// when the engine stops answering even /_ping (a hung daemon, a frozen VM) the call is given up in
// words instead of showing "stopping…" forever.

/** The engine behind a call: its name for messages and a ping that rejects when it does not answer. */
export interface Pingable {
  readonly id: string;
  ping(timeoutMs: number): Promise<unknown>;
}

export interface Patience {
  /** How long a call may run before the engine is pinged, and again between pings. */
  checkMs: number;
  /** How long a ping may take. */
  pingMs: number;
}

export const DEFAULT_PATIENCE: Patience = { checkMs: 8000, pingMs: 4000 };

/** The engine did not answer a call, nor a ping while the call waited. */
export class NotAnswering extends Error {
  constructor(engine: string, what: string, seconds: number) {
    super(`${engine} is not answering: no reply to ${what} for ${seconds} s, nor to a ping. gantry stopped waiting; the engine may still do it when it wakes (the list will show it)`);
    this.name = 'NotAnswering';
  }
}

/** Runs `call` with a signal that aborts it when the engine stops answering; rejects with NotAnswering then. */
export function whileAnswering<T>(engine: Pingable, what: string, call: (signal: AbortSignal) => Promise<T>, patience: Patience = DEFAULT_PATIENCE): Promise<T> {
  const abort = new AbortController();
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      f();
    };
    const check = () => {
      engine.ping(patience.pingMs).then(
        () => {
          if (!done) timer = setTimeout(check, patience.checkMs);
        },
        () => {
          if (done) return;
          abort.abort();
          finish(() => reject(new NotAnswering(engine.id, what, Math.round((Date.now() - started) / 1000))));
        },
      );
    };
    timer = setTimeout(check, patience.checkMs);
    call(abort.signal).then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}
