// `gantry gpus` as text: its sentences are broken at spaces at 80 columns, not inside a word by the terminal.
import { describe, expect, it } from 'vitest';
import { formatReport, type GpuReport } from '../../src/gpuReport.js';
import { HIDDEN_MESSAGE } from '../../src/gpu/monitor.js';

describe('formatReport', () => {
  it("breaks the hint and the notes at spaces within 80 columns, every word kept", () => {
    const note = 'podman unix:///run/user/1000/podman/podman.sock: its containers could not be listed (connection refused (the socket exists but no engine answers: is the daemon stopped?)), so their GPU processes show as host processes';
    const r: GpuReport = { status: 'no-processes-visible', message: HIDDEN_MESSAGE, gpus: [], containers: [], notes: [note] };
    const lines = formatReport(r).split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(HIDDEN_MESSAGE);
    expect(text).toContain(note);
  });
});
