// `:exec CMD`'s output in the panel's Exec tab: the engine's reason for exit 126/127 read from what
// Docker and Podman really print, every line sanitised and the whole bounded, the tab drawn with
// the command, its exit code and its output, and scrolled by j/G like the other text tabs.
import { describe, expect, it, vi } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { execStartFailure } from '../../src/engine/exec.js';
import { EXEC_MAX_LINES, execSummary, outputLines, type ExecRun } from '../../src/actions/execOutput.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer } from '../../src/store/state.js';
import { dispatchKey } from '../../src/ui/modes/index.js';
import { keysOf } from '../../src/ui/keys/parse.js';
import type { Controller } from '../../src/ui/controller.js';
import { TextTab } from '../../src/ui/panel.js';
import { makeTheme } from '../../src/ui/theme.js';

// What the engines printed for `:exec dfx -h` (captured from Docker 20.10 and Podman 4.3).
const DOCKER_126 = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "dfx": executable file not found in $PATH: unknown\r\n';
const PODMAN_127 =
  'Error: runc: exec failed: unable to start container process: exec: "dfx": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\nError: read unixpacket @->/proc/self/fd/14/attach: read: connection reset by peer\n';
const PODMAN_PERM = 'Error: runc: exec failed: unable to start container process: exec: "/etc/passwd": permission denied: OCI permission denied\n';

function run(over: Partial<ExecRun> = {}): ExecRun {
  return { key: 'docker/a', name: 'docker/alice-llama', argv: ['df', '-h', '/ckpt'], state: 'done', lines: [], exitCode: 0, startedAt: 1_000, endedAt: 1_400, ...over };
}

describe("the engine's reason for a command it could not start", () => {
  it('is read from Docker and Podman alike, and their own noise is dropped', () => {
    expect(execStartFailure(DOCKER_126, 126)).toEqual({ reason: '"dfx": executable file not found in $PATH', output: '' });
    expect(execStartFailure(PODMAN_127, 127)).toEqual({ reason: '"dfx": executable file not found in $PATH', output: '' });
    expect(execStartFailure(PODMAN_PERM, 126)?.reason).toBe('"/etc/passwd": permission denied');
  });
  it('is nothing when the command ran and failed by itself', () => {
    expect(execStartFailure("cat: can't open '/nope': No such file or directory\n", 1)).toBeUndefined();
    expect(execStartFailure('some tool printed this\n', 126)).toBeUndefined();
  });
});

describe('the output', () => {
  it('is sanitised line by line: no control reaches the screen', () => {
    const { lines, cut } = outputLines('ok\r\n\x1b]0;pwned\x07title\n\x1b[2Jcleared\n\x1b[31mred\x1b[0m\nbell\x07\n', false);
    expect(lines).toEqual(['ok', 'title', 'cleared', 'red', 'bell^G']);
    expect(cut).toBeUndefined();
  });
  it('is bounded, and says what was left out', () => {
    const many = outputLines(Array.from({ length: EXEC_MAX_LINES + 7 }, (_, i) => `line ${i}`).join('\n'), false);
    expect(many.lines).toHaveLength(EXEC_MAX_LINES);
    expect(many.cut).toBe(`the output was cut at ${EXEC_MAX_LINES} lines (${EXEC_MAX_LINES + 7} in all)`);
    expect(outputLines('x\n', true).cut).toMatch(/cut at 256 KiB/);
    expect(outputLines(`${'y'.repeat(10_000)}\n`, false).lines[0]!.length).toBeLessThan(4100);
  });
  it('ends with a status line naming the exit code and the reason', () => {
    expect(execSummary(run({ exitCode: 126, reason: '"df": executable file not found in $PATH' }))).toEqual({
      text: 'exec in docker/alice-llama: exit code 126 — "df": executable file not found in $PATH · 0 lines of output in the Exec tab — df -h /ckpt',
      level: 'error',
    });
    expect(execSummary(run({ lines: ['0.42 0.30 0.21 1/123 4567'] })).text).toMatch(/exit code 0 · 1 line of output/);
  });
});

describe('the Exec tab', () => {
  const ui = { ...initialState().ui.logs, tab: 'exec' as const, focus: true };
  const frame = (data: { exec?: ExecRun }, scroll = 0) => {
    const r = render(<TextTab tab="exec" data={{ stats: [], ...data }} ui={{ ...ui, scroll }} rows={8} width={100} now={2_000} theme={makeTheme(false)} />);
    const f = r.lastFrame() ?? '';
    r.unmount();
    return f;
  };
  it('shows the command, its exit code and its output', () => {
    const f = frame({ exec: run({ argv: ['cat', '/proc/loadavg'], lines: ['0.42 0.30 0.21 1/123 4567'] }) });
    expect(f).toContain('Exec');
    expect(f).toContain('$ cat /proc/loadavg');
    expect(f).toMatch(/exit code 0 · 1 line · took 0s/);
    expect(f).toContain('0.42 0.30 0.21 1/123 4567');
  });
  it("shows a failure's code and the engine's reason, and says how to run one before any", () => {
    expect(frame({ exec: run({ exitCode: 127, reason: '"df": executable file not found in $PATH' }) })).toContain('exit code 127: "df": executable file not found in $PATH');
    expect(frame({ exec: run({ state: 'running', endedAt: undefined }) })).toContain('running for 1s');
    expect(frame({})).toContain(':exec CMD runs a command here');
  });
  it('scrolls with j and G through the dispatcher, as the other text tabs', () => {
    const exec = run({ lines: Array.from({ length: 50 }, (_, i) => `out ${i}`) });
    const store = createStore(reducer, initialState());
    store.dispatch({ type: 'logs/set', patch: { tab: 'exec', focus: true } });
    const controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), panelData: () => ({ stats: [], exec }) } satisfies Controller;
    const press = (s: string) => {
      for (const key of keysOf(s)) dispatchKey({ store, controller, sizes: { cols: 100, listRows: 10, panelRows: 8, panelWidth: 100 }, key, previous: '' });
    };
    press('jj');
    expect(store.getState().ui.logs.scroll).toBe(2);
    press('G');
    const end = store.getState().ui.logs.scroll;
    const f = frame({ exec }, end);
    expect(f).toContain('out 49');
    expect(f).not.toContain('out 40');
  });
});
