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

  it("a Podman's figures fit 80 and 100 columns: the estimate's mark and its footnote, the build cache note broken at spaces", () => {
    const s = initialState();
    const note = 'Podman has no build cache to prune: its build steps are kept as ordinary images, so prune dangling or unused images instead';
    const state = {
      ...s,
      engines: [{ id: 'podman', kind: 'podman', label: 'rootless', endpoint: 'unix:///p.sock', status: 'up' }],
      resources: {
        ...s.resources,
        df: {
          podman: { images: { count: 2, active: 0, size: 12e6, reclaimable: 12e6 }, containers: usage, volumes: usage, buildCacheNote: note, imagesSizeEstimated: true, facts: { kind: 'podman', version: '4.3.1', storageDriver: 'overlay', rootDir: '/home/researcher/.local/share/containers/storage', cgroupVersion: 2 } },
        },
      },
    };
    for (const width of [80, 100]) {
      const { lastFrame, unmount } = render(<SystemPane state={state as never} rows={30} width={width} theme={makeTheme(false)} />);
      const lines = (lastFrame() ?? '').split('\n');
      unmount();
      for (const l of lines) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines.find((l) => l.trimStart().startsWith('images'))).toMatch(/12 MB\s+12 MB\s+█+ \*$/);
      expect(lines).toContain("  * added up by gantry: this engine's disk use gives no total for images");
      // The facts break between facts, never inside one.
      expect(lines.filter((l) => /podman 4\.3\.1|storage overlay|containers\/storage|cgroup/.test(l)).map((l) => l.trim()).join(' · ')).toBe(
        'podman 4.3.1 · storage overlay · /home/researcher/.local/share/containers/storage · cgroup v2',
      );
      const at = lines.findIndex((l) => l.trimStart().startsWith('build cache'));
      const rest = lines.slice(at).map((l) => l.trim()).join(' ');
      expect(rest.replace(/^build cache\s+/, '')).toMatch(new RegExp(`^${note.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });
});
