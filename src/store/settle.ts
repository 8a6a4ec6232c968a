// What each container event says the next list should show, and whether it does yet. Docker sends
// a container's "die" before its list shows it stopped (the list reads a copy of the containers'
// state that is written after the event): on a loaded machine a list 90 ms after "die" still said
// "running" (seen in a clean-clone CI run and reproduced: 1 run in 27 of the ages test, while two
// test suites ran). Without a later event nothing asked again until the resync, up to 10 s later,
// so a stopped container showed as running. The watcher now asks again, a little later each time,
// until the list agrees with the events or a few tries have passed.
import type { Container } from '../engine/models.js';

type Expect = 'running' | 'paused' | 'stopped' | 'gone' | 'present';

const EXPECT = new Map<string, Expect>([
  ['start', 'running'],
  ['restart', 'running'],
  ['unpause', 'running'],
  ['pause', 'paused'],
  ['stop', 'stopped'],
  ['die', 'stopped'],
  ['died', 'stopped'],
  ['exited', 'stopped'],
  ['destroy', 'gone'],
  ['remove', 'gone'],
  ['create', 'present'],
]);

/** Lists asked again at most this many times per event; the delays double from FIRST_MS. */
const TRIES = 6;
const FIRST_MS = 100;

function shows(row: Container | undefined, want: Expect): boolean {
  switch (want) {
    case 'gone':
      return !row;
    case 'present':
      return !!row;
    case 'stopped':
      return !row || (row.state !== 'running' && row.state !== 'paused');
    default:
      return row?.state === want;
  }
}

export class Settling {
  private readonly want = new Map<string, { expect: Expect; tries: number }>();

  /** A container event: what the next list should show of that container (the latest event wins). */
  note(id: string, action: string): void {
    const expect = EXPECT.get(action.split(':')[0]!.trim());
    if (expect && id) this.want.set(id, { expect, tries: 0 });
  }

  clear(): void {
    this.want.clear();
  }

  /** After a list: forgets what it shows; the delay before asking again, or undefined when it agrees. */
  check(rows: readonly Container[]): number | undefined {
    if (this.want.size === 0) return undefined;
    let most = 0;
    for (const [id, w] of this.want) {
      const row = rows.find((r) => r.id === id || r.id.startsWith(id) || id.startsWith(r.id));
      if (shows(row, w.expect) || w.tries >= TRIES) {
        this.want.delete(id);
        continue;
      }
      w.tries++;
      most = Math.max(most, w.tries);
    }
    return most ? FIRST_MS * 2 ** (most - 1) : undefined;
  }
}
