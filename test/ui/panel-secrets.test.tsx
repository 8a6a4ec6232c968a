// The panel's Inspect JSON, Env and Top tabs: secrets masked by name and by shape until v, and the
// controls in what an engine returned shown, never written raw.
import { describe, expect, it } from 'vitest';
import { inspectSummary } from '../../src/engine/inspect.js';
import { initialState } from '../../src/store/state.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { tabLines, TextTab } from '../../src/ui/panel.js';
import { makeTheme } from '../../src/ui/theme.js';

const GHP = 'ghp_R8fK2mQ9xLp4Tz7vWc1Yb6Nd3Hs0Ja5Ue2Gi';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const raw = {
  Id: 'c'.repeat(64),
  Name: '/web',
  Args: ['serve.py', '--token=abc123'],
  State: { Status: 'running', Running: true },
  Config: {
    Image: 'busybox',
    Env: [`GITHUB_PAT=${GHP}`, `JWT=${JWT}`, 'AUTH=Zm9vOmJhcg==', 'COOKIE=sid=4f2a9c', 'SLACK_WEBHOOK=https://hooks.slack.com/services/T0/B0/XXXXXXXX', 'PATH=/usr/bin', 'TOKENIZERS_PARALLELISM=false', 'TITLE=\x1b]0;pwned\x07\u202eevil'],
    Cmd: ['python', 'serve.py', '--password', 'hunter2'],
    Labels: { title: '\x1b]0;pwned\x07' },
  },
  HostConfig: {},
};
const SECRETS = [GHP.slice(4), JWT.slice(3, 20), 'Zm9vOmJhcg', '4f2a9c', 'XXXXXXXX', 'abc123', 'hunter2'];
const data = { inspect: { raw, summary: inspectSummary(raw as never) }, stats: [], top: { rows: [{ pid: 1, user: 'root', command: 'python serve.py --api-key sk-proj-abcDEF123456ghiJKL789012 --port 80' }], at: 0 } };
const ui = (reveal: boolean) => ({ ...initialState().ui.logs, reveal });
const text = (tab: 'inspect' | 'env' | 'top', reveal = false) => tabLines(tab, data as never, ui(reveal), 120).map((l) => l.text).join('\n');

describe('the panel masks secrets', () => {
  it('in Inspect (summary and JSON), Env and Top, wherever they stand', () => {
    for (const tab of ['inspect', 'env', 'top'] as const) {
      const t = text(tab);
      expect(SECRETS.filter((s) => t.includes(s)), tab).toEqual([]);
      expect(t, tab).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    }
    expect(text('env')).toMatch(/5 look secret: masked \(v shows them\)/);
    expect(text('env')).toMatch(/PATH\s+\/usr\/bin/);
    expect(text('env')).toMatch(/TOKENIZERS_PARALLELISM\s+false/);
    expect(text('env')).toContain('^[]0;pwned^G<U+202E>evil');
    expect(text('top')).toContain('python serve.py --api-key ******** --port 80');
    expect(text('inspect')).toContain('"--token=********"');
    expect(text('inspect')).toContain('"title": "\\u001b]0;pwned\\u0007"');
  });

  it('shows the controls of an engine error in any tab', () => {
    const lines = tabLines('top', { stats: [], top: { error: 'top failed: \x1b]0;pwned\x07' } } as never, ui(false), 120);
    const { lastFrame, unmount } = render(<TextTab tab="top" data={{ stats: [], top: { error: 'top failed: \x1b]0;pwned\x07' } } as never} ui={ui(false)} rows={10} width={120} now={Date.now()} theme={makeTheme(false)} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(lines.length).toBe(1);
    expect(frame).toContain('top failed: ^[]0;pwned^G');
    expect(frame).not.toContain('\x1b]');
  });

  it('and shows them after v', () => {
    expect(text('env', true)).toContain(GHP);
    expect(text('inspect', true)).toContain('hunter2');
    expect(text('top', true)).toContain('sk-proj-abcDEF123456ghiJKL789012');
  });
});
