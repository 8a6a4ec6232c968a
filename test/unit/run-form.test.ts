// The run form's fields without Ink: each field's text and how typed text changes the draft (the
// template's own parsers and words), list items one per line, Tab completion of image references,
// and the command line as shell lines that read back as the one command.
import { describe, expect, it } from 'vitest';
import { builtinTemplate } from '../../src/run/templateFiles.js';
import { draftFromTemplate } from '../../src/run/run.js';
import { fieldText, formRows, listItems, removeItem, setItem, setText } from '../../src/actions/runForm.js';
import { completeTag, tagMatches } from '../../src/actions/imageRefs.js';
import { shellLines } from '../../src/present/shellLines.js';
import { splitCommand } from '../../src/run/commandLine.js';
import { pullTotalsText } from '../../src/present/pull.js';

const ctx = { env: {}, home: '/home/alice', pwd: '/work/proj', user: 'alice' };
const draft = () => draftFromTemplate(builtinTemplate(ctx));

describe('the run form fields', () => {
  it('shows every field of gpu-dev as text, a list one item per row', () => {
    const d = draft();
    expect(fieldText(d, 'image')).toBe('nvcr.io/nvidia/pytorch:25.06-py3');
    expect(fieldText(d, 'shm')).toBe('host');
    expect(fieldText(d, 'restart')).toBe('no');
    expect(listItems(d, 'mounts')).toEqual(['/work/proj:/workspace', '/home/alice/.cache/vla:/cache']);
    expect(listItems(d, 'ulimits')).toEqual(['memlock=-1', 'stack=67108864']);
    expect(listItems(d, 'ports')).toEqual(['7860:7860']);
    const rows = formRows(d);
    expect(rows.filter((r) => r.field === 'env')).toHaveLength(6);
    expect(rows.filter((r) => r.item === undefined).map((r) => r.field)).toEqual(['template', 'engine', 'image', 'name', 'command', 'interactive', 'gpus', 'shm', 'env', 'mounts', 'workdir', 'ports', 'network', 'restart', 'remove', 'ulimits', 'labels']);
  });

  it('reads typed text with the template words, and says what is wrong', () => {
    const d = draft();
    expect(setText(d, 'shm', '16g')).toMatchObject({ shmSize: 16 * 1024 ** 3 });
    expect(setText(d, 'shm', '16g')).not.toHaveProperty('ipc');
    expect(setText(d, 'shm', '')).not.toHaveProperty('ipc');
    expect(setText(d, 'shm', 'lots')).toMatch(/"lots" is neither host nor a size/);
    expect(setText(d, 'command', `python -c 'print("a b")'`)).toMatchObject({ command: ['python', '-c', 'print("a b")'] });
    expect(setText(d, 'command', `echo "oops`)).toBe('the command has an unclosed double quote');
    expect(setText(d, 'restart', 'on-failure:3')).toMatchObject({ restart: { name: 'on-failure', maxRetries: 3 } });
    expect(setText(d, 'restart', 'sometimes')).toBe('"restart" must be no, always, unless-stopped, on-failure or on-failure:N, not "sometimes"');
    expect(setText(d, 'workdir', 'rel')).toMatch(/must be an absolute path/);
    expect(setText(d, 'workdir', '')).not.toHaveProperty('workdir');
    expect(setText(d, 'name', '{user}-{gpu}')).toBe('"name": {gpu} is not known (use {user}, {template}, {image}, {n})');
    expect(setText(d, 'image', 'Pytorch')).toMatch(/repository names must be lowercase/);
  });

  it('edits, adds and removes list items, each read as a template reads it', () => {
    const d = draft();
    expect(setItem(d, 'ports', 0, '127.0.0.1:8888:8888/udp', ctx)).toMatchObject({ ports: [{ hostIp: '127.0.0.1', hostPort: 8888, containerPort: 8888, protocol: 'udp' }] });
    expect(setItem(d, 'ports', 1, '99999', ctx)).toMatch(/^port "99999" must read/);
    expect(setItem(d, 'mounts', 2, '~/data:/data:ro', ctx)).toMatchObject({ mounts: [{}, {}, { source: '/home/alice/data', target: '/data', readOnly: true }] });
    expect(setItem(d, 'mounts', 0, '$SCRATCH:/s', ctx)).toBe('mount "$SCRATCH": $SCRATCH is not known here (use ~, $HOME, $USER or $PWD)');
    expect(setItem(d, 'ulimits', 0, 'nofile=1024:4096', ctx)).toMatchObject({ ulimits: [{ name: 'nofile', soft: 1024, hard: 4096 }, { name: 'stack' }] });
    expect(setItem(d, 'ulimits', 0, 'files=1', ctx)).toMatch(/^unknown ulimit "files"/);
    expect(setItem(d, 'env', 5, 'WANDB_MODE=offline', ctx)).toMatchObject({ env: { HF_HOME: '/cache/hf', WANDB_MODE: 'offline' } });
    expect(setItem(d, 'env', 0, 'no equals sign', ctx)).toBe('variable "no equals sign" must read NAME=VALUE');
    expect(setItem(d, 'labels', 0, 'team=vision', ctx)).toMatchObject({ labels: { team: 'vision' } });
    // An emptied item is gone; removeItem takes one out.
    expect(listItems(setItem(d, 'env', 0, '', ctx) as typeof d, 'env')).toHaveLength(4);
    expect(listItems(removeItem(d, 'mounts', 0, ctx), 'mounts')).toEqual(['/home/alice/.cache/vla:/cache']);
  });
});

describe('Tab completion of image references', () => {
  const tags = ['busybox:latest', 'docker.io/library/busybox:latest', 'nvcr.io/nvidia/pytorch:24.10-py3', 'nvcr.io/nvidia/pytorch:25.06-py3'];
  it('completes the one match, or the common start of several, else leaves the text', () => {
    expect(completeTag('bus', tags)).toBe('busybox:latest');
    expect(completeTag('nv', tags)).toBe('nvcr.io/nvidia/pytorch:2');
    expect(completeTag('nvcr.io/nvidia/pytorch:2', tags)).toBe('nvcr.io/nvidia/pytorch:2');
    expect(completeTag('pyt', tags)).toBe('nvcr.io/nvidia/pytorch:2');
    expect(completeTag('zzz', tags)).toBe('zzz');
    expect(tagMatches('pytorch:25', tags)).toEqual(['nvcr.io/nvidia/pytorch:25.06-py3']);
  });
});

describe('the command line as shell lines', () => {
  it('packs words into lines ending in a backslash, a flag with its value, that a shell reads back as the same words', () => {
    const argv = ['docker', 'run', '-it', '--name', 'alice-gpu-dev-1', '--gpus', 'driver=nvidia,"device=3,1"', '-e', 'GREETING=hello world', '--mount', 'type=bind,source=/a b,target=/w', 'img:1', 'python', '-c', "print('x')"];
    const lines = shellLines(argv, 50);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.some((l) => /-e 'GREETING=hello world'/.test(l))).toBe(true);
    // Joined as a shell joins continuation lines, it splits back into the same argument array.
    expect(splitCommand(lines.map((l) => l.replace(/ \\$/, '')).join(' '))).toEqual(argv);
  });
  it('says the totals of a pull as docker pull does', () => {
    expect(pullTotalsText({ currentBytes: 5_815_119, totalBytes: 8_002_942, bytesKnown: true, layers: 3, layersDone: 1, rateBytesPerSec: 2_000_000 })).toBe('5.8 MB / 8.0 MB  1/3 layers  2.0 MB/s');
    expect(pullTotalsText({ currentBytes: 0, totalBytes: 0, bytesKnown: false, layers: 3, layersDone: 2, rateBytesPerSec: 0 })).toBe('2/3 layers');
  });
});
