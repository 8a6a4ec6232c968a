// The one cancellable task per selection: a new key aborts the work before it; the same key runs once.
import { describe, expect, it } from 'vitest';
import { SelectionTask } from '../../src/store/task.js';

describe('SelectionTask', () => {
  it('runs work once per key and aborts it when another key (or none) comes', () => {
    const t = new SelectionTask();
    const log: string[] = [];
    const work = (name: string) => (signal: AbortSignal) => {
      log.push(`start ${name}`);
      signal.addEventListener('abort', () => log.push(`stop ${name}`));
    };
    expect(t.run('a', work('a'))).toBe(true);
    expect(t.run('a', work('a again'))).toBe(false);
    t.run('b', work('b'));
    t.run(undefined, work('never'));
    expect(log).toEqual(['start a', 'stop a', 'start b', 'stop b']);
    expect(t.current).toBeUndefined();
    t.run('b', work('b'));
    expect(t.current).toBe('b');
  });
});
