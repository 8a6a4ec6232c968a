// The System pane shows what an engine says about itself (version, storage driver, root dir, an
// error) with its controls made visible: an engine is outside gantry too.
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/store/state.js';
import { SystemPane } from '../../src/ui/panes/system.js';
import { makeTheme } from '../../src/ui/theme.js';

const usage = { count: 1, active: 1, size: 1000, reclaimable: 0 };

describe('System pane', () => {
  it('shows the controls in the engine facts and errors, never writes them', () => {
    const s = initialState();
    const state = {
      ...s,
      engines: [
        { id: 'docker', kind: 'docker', label: 'local', endpoint: 'unix:///d.sock', status: 'up' },
        { id: 'podman', kind: 'podman', label: 'rootless', endpoint: 'unix:///p.sock', status: 'up' },
      ],
      resources: {
        ...s.resources,
        df: {
          docker: { images: usage, containers: usage, volumes: usage, imagesSizeEstimated: false, facts: { kind: 'docker', version: '20.10\x1b]0;pwned\x07', storageDriver: 'overlay2\u202e', rootDir: '/var/lib/docker' } },
          podman: { error: 'df failed: \x1b[2Jboom' },
        },
      },
    };
    const { lastFrame, unmount } = render(<SystemPane state={state as never} rows={30} width={120} theme={makeTheme(false)} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toContain('docker 20.10^[]0;pwned^G · storage overlay2<U+202E> · /var/lib/docker');
    expect(frame).toContain('df failed: ^[[2Jboom');
    expect(frame).not.toMatch(/\x1b\]|\x1b\[2J|\u202e/);
  });
});
