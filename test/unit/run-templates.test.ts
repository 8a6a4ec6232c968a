// Run templates and the equivalent command line, without an engine: parsing and validation with
// file and line, the built-in gpu-dev equal to the wiki's docker run, drafts, names, GPUs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerCreateBody, podmanCreateJson, checkSpec, type RunSpec } from '../../src/engine/runSpec.js';
import { commandArgv, commandText, parseSize, sizeFlag, splitCommand } from '../../src/run/commandLine.js';
import { draftFromTemplate, nameFromPattern, nextFreeName, specFromDraft } from '../../src/run/run.js';
import { builtinTemplate, listTemplates, loadTemplate, parseTemplate } from '../../src/run/templateFiles.js';
import { TemplateError, type TemplateContext } from '../../src/run/templates.js';

const ctx: TemplateContext = { env: {}, home: '/home/alice', pwd: '/home/alice/proj', user: 'alice' };
const parse = (text: string) => parseTemplate(text, 't.yaml', 't', ctx);

describe('templates', () => {
  it('reads every field', () => {
    const t = parse(
      [
        'description: training',
        'image: nvcr.io/nvidia/pytorch:25.06-py3',
        'name: "{user}-{template}-{n}"',
        'command: python train.py --lr "1e-4 warm"',
        'interactive: false',
        'gpus: [1, GPU-aaaa-bbbb]',
        'shmSize: 16g',
        'ulimits: {memlock: -1, stack: 67108864, nofile: "1024:4096"}',
        'env: {HF_HOME: /cache/hf, SEED: 7}',
        'mounts: ["$PWD:/workspace", "~/.cache/vla:/cache", "${HOME}/data:/data:ro", "/scratch/$USER:/scratch"]',
        'workdir: /workspace',
        'ports: ["7860:7860", "127.0.0.1:8888:8888", "9000/udp", "[::1]:6006:6006"]',
        'network: host',
        'restart: on-failure:3',
        'remove: false',
        'labels: {team: vision}',
      ].join('\n'),
    );
    expect(t).toMatchObject({
      description: 'training',
      image: 'nvcr.io/nvidia/pytorch:25.06-py3',
      namePattern: '{user}-{template}-{n}',
      command: ['python', 'train.py', '--lr', '1e-4 warm'],
      interactive: false,
      gpus: { mode: 'devices', ids: ['1', 'GPU-aaaa-bbbb'] },
      shmSize: 16 * 1024 ** 3,
      ulimits: [
        { name: 'memlock', soft: -1, hard: -1 },
        { name: 'stack', soft: 67108864, hard: 67108864 },
        { name: 'nofile', soft: 1024, hard: 4096 },
      ],
      env: { HF_HOME: '/cache/hf', SEED: '7' },
      mounts: [
        { source: '/home/alice/proj', target: '/workspace', readOnly: false },
        { source: '/home/alice/.cache/vla', target: '/cache', readOnly: false },
        { source: '/home/alice/data', target: '/data', readOnly: true },
        { source: '/scratch/alice', target: '/scratch', readOnly: false },
      ],
      workdir: '/workspace',
      ports: [
        { hostPort: 7860, containerPort: 7860, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 8888, containerPort: 8888, protocol: 'tcp' },
        { containerPort: 9000, protocol: 'udp' },
        { hostIp: '::1', hostPort: 6006, containerPort: 6006, protocol: 'tcp' },
      ],
      network: 'host',
      restart: { name: 'on-failure', maxRetries: 3 },
      remove: false,
      labels: { team: 'vision' },
    });
    expect(parse('gpus: {auto: 2}\n').gpus).toEqual({ mode: 'auto', count: 2 });
    expect(parse('gpus: none\n').gpus).toEqual({ mode: 'none' });
    expect(parse('gpus: all\n').gpus).toEqual({ mode: 'all' });
    expect(parse('gpus: 3\n').gpus).toEqual({ mode: 'devices', ids: ['3'] });
    expect(parse('command: [sh, -c, "echo $HOME"]\n').command).toEqual(['sh', '-c', 'echo $HOME']);
    expect(parse('ipc: host\n').ipc).toBe('host');
  });

  it('names the file, the line and the problem', () => {
    const bad: [string, RegExp][] = [
      ['image: x\n\ngpu: 1\n', /t\.yaml line 3: unknown key "gpu" \(known keys: description, image/],
      ['interactive: yes\n', /t\.yaml line 1: "interactive" must be true or false, not "yes"/],
      ['gpus: {auto: 0}\n', /line 1: "gpus: \{auto: N\}" takes a number of GPUs from 1 to 64/],
      ['gpus: [0, "x"]\n', /line 1: each GPU in "gpus" must be an index/],
      ['gpus: some\n', /"gpus" must be none, all, \{auto: N\}/],
      ['ulimits: {memlok: 1}\n', /unknown ulimit "memlok"/],
      ['ulimits: {nofile: "9:3"}\n', /soft limit 9 is above the hard limit 3/],
      ['env: [A=b]\n', /"env" must be a mapping/],
      ['env:\n  A: [1]\n', /line 2: "env\.A" must be a string or a number/],
      ['mounts: ["data:/data"]\n', /source must be an absolute path .*named volumes are not offered/],
      ['mounts: ["$SCRATCH/x:/x"]\n', /\$SCRATCH is not known here/],
      ['mounts: ["/a:/b:rx"]\n', /must read SOURCE:TARGET or SOURCE:TARGET:ro/],
      ['ports: ["70000:1"]\n', /port "70000:1" must read/],
      ['restart: sometimes\n', /"restart" must be no, always, unless-stopped, on-failure/],
      ['name: "{user}-{gpu}"\n', /\{gpu\} is not known/],
      ['shmSize: lots\n', /"shmSize" must be a size/],
      ['ipc: private\n', /"ipc" can only be host/],
      ['ipc: host\nshmSize: 1g\n', /shmSize" does not apply/],
      ['remove: true\nrestart: always\n', /contradict each other/],
      ['command: "echo \'unclosed"\n', /"command" has an unclosed single quote/],
      ['workdir: rel\n', /"workdir" must be an absolute path/],
      ['- a\n- b\n', /a template must be a mapping/],
      ['image: [1\n', /t\.yaml line 2: not valid YAML: Flow sequence/],
      ['env:\n  A: b\n C: d\n', /t\.yaml line 3: not valid YAML: All mapping items must start at the same column/],
      ['image: a\nimage: b\n', /not valid YAML/],
    ];
    for (const [text, re] of bad) expect(() => parse(text), text).toThrow(re);
    expect(() => parse('gpus: some\n')).toThrow(TemplateError);
  });

  it('finds templates in $XDG_CONFIG_HOME/gantry/templates, and the built-in when there are none', () => {
    const root = mkdtempSync(join(tmpdir(), 'gantry-tpl-'));
    const c = { ...ctx, env: { XDG_CONFIG_HOME: join(root, 'cfg') } };
    expect(listTemplates(c).templates.map((t) => t.name)).toEqual(['gpu-dev']);
    const dir = join(root, 'cfg', 'gantry', 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.yaml'), 'image: busybox\ninteractive: false\n');
    writeFileSync(join(dir, 'broken.yml'), 'image: busybox\nbogus: 1\n');
    const l = listTemplates(c);
    expect(l.templates.map((t) => t.name)).toEqual(['train']);
    expect(l.problems).toEqual([expect.stringMatching(/broken\.yml line 2: unknown key "bogus"/)]);
    expect(loadTemplate('train', c).file).toBe(join(dir, 'train.yaml'));
    expect(loadTemplate('gpu-dev', c).file).toBe('built-in');
    expect(() => loadTemplate('nope', c)).toThrow(/no template "nope" \(templates: broken, train, gpu-dev; they live in .*templates\/NAME\.yaml\)/);
    expect(() => loadTemplate('broken', c)).toThrow(/broken\.yml line 2/);
  });
});

describe('gpu-dev and the command line', () => {
  const spec = (over: Partial<RunSpec> = {}): RunSpec => ({ ...specFromDraft(draftFromTemplate(builtinTemplate(ctx)), 'alice-gpu-dev-1', ['3']), ...over });

  it('is the wiki command, with the chosen GPU and a name', () => {
    const argv = commandArgv('docker', spec());
    expect(commandText(argv)).toBe(
      'docker run -it --rm --name alice-gpu-dev-1 --gpus driver=nvidia,device=3 --ipc=host --ulimit memlock=-1 --ulimit stack=67108864 ' +
        '-e HF_HOME=/cache/hf -e TRANSFORMERS_CACHE=/cache/hf/transformers -e HF_DATASETS_CACHE=/cache/hf/datasets -e TORCH_HOME=/cache/torch -e PIP_CACHE_DIR=/cache/pip ' +
        '--mount type=bind,source=/home/alice/proj,target=/workspace --mount type=bind,source=/home/alice/.cache/vla,target=/cache ' +
        '-w /workspace -p 7860:7860 nvcr.io/nvidia/pytorch:25.06-py3 bash',
    );
    expect(commandText(commandArgv('podman', spec({ gpus: ['1', '2'] })))).toBe(
      'podman run -it --rm --name alice-gpu-dev-1 --device nvidia.com/gpu=1 --device nvidia.com/gpu=2 --ipc=host --ulimit memlock=-1 --ulimit stack=67108864 ' +
        '-e HF_HOME=/cache/hf -e TRANSFORMERS_CACHE=/cache/hf/transformers -e HF_DATASETS_CACHE=/cache/hf/datasets -e TORCH_HOME=/cache/torch -e PIP_CACHE_DIR=/cache/pip ' +
        '-v /home/alice/proj:/workspace -v /home/alice/.cache/vla:/cache -w /workspace -p 7860:7860 nvcr.io/nvidia/pytorch:25.06-py3 bash',
    );
  });

  it('quotes for display only, and splits a command back as a shell would', () => {
    const s = spec({ gpus: ['1', '3'], env: { MSG: "it's $HOME" }, mounts: [{ source: '/a,b', target: '/x y', readOnly: true }], interactive: false, remove: false, restart: { name: 'on-failure', maxRetries: 2 }, labels: { k: 'v w' }, shmSize: 512 * 1024 ** 2, ipc: undefined, command: ['sh', '-c', 'echo "hi"; sleep 1'] });
    delete s.ipc;
    const argv = commandArgv('docker', s);
    expect(argv).toContain('driver=nvidia,"device=1,3"');
    expect(argv).toContain('type=bind,"source=/a,b",target=/x y,readonly');
    const text = commandText(argv);
    expect(text).toContain(`'MSG=it'\\''s $HOME'`);
    expect(text).toContain("--gpus 'driver=nvidia,\"device=1,3\"'");
    expect(text).toContain('--restart=on-failure:2 --label \'k=v w\'');
    expect(text).toContain('--shm-size=512m');
    expect(text.startsWith('docker run -d --name')).toBe(true);
    expect(splitCommand(text)).toEqual(argv);
    expect(splitCommand('a "b c" d\\ e \'f"g\'')).toEqual(['a', 'b c', 'd e', 'f"g']);
    expect(splitCommand('"x')).toBe('an unclosed double quote');
  });

  it('reads and writes sizes as Docker does', () => {
    expect(parseSize('16g')).toBe(16 * 1024 ** 3);
    expect(parseSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('65536')).toBe(65536);
    expect(parseSize('1.5x')).toBeUndefined();
    expect(sizeFlag(16 * 1024 ** 3)).toBe('16g');
    expect(sizeFlag(1000)).toBe('1000b');
  });

  it('builds each engine’s create request', () => {
    const d = dockerCreateBody(spec({ gpus: ['1', '3'], shmSize: undefined, ports: [{ hostIp: '127.0.0.1', hostPort: 17860, containerPort: 7860, protocol: 'tcp' }] }));
    expect(d).toMatchObject({
      Image: 'nvcr.io/nvidia/pytorch:25.06-py3',
      Tty: true,
      OpenStdin: true,
      Cmd: ['bash'],
      WorkingDir: '/workspace',
      ExposedPorts: { '7860/tcp': {} },
      HostConfig: {
        IpcMode: 'host',
        AutoRemove: true,
        PortBindings: { '7860/tcp': [{ HostIp: '127.0.0.1', HostPort: '17860' }] },
        DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: ['1', '3'], Capabilities: [['gpu']] }],
        Mounts: [{ Type: 'bind', Source: '/home/alice/proj', Target: '/workspace', ReadOnly: false }, expect.anything()],
      },
    });
    const p = podmanCreateJson(spec({ gpus: ['1'], network: 'slirp4netns' }));
    expect(p).toContain('"soft":18446744073709551615,"hard":18446744073709551615');
    const pj = JSON.parse(p) as Record<string, unknown>;
    expect(pj).toMatchObject({ name: 'alice-gpu-dev-1', terminal: true, stdin: true, remove: true, devices: [{ path: 'nvidia.com/gpu=1' }], ipcns: { nsmode: 'host' }, netns: { nsmode: 'slirp4netns' } });
    expect(JSON.parse(podmanCreateJson(spec({ network: 'labnet' })))).toMatchObject({ netns: { nsmode: 'bridge' }, networks: { labnet: {} } });
  });

  it('refuses a spec that cannot work', () => {
    expect(checkSpec(spec())).toEqual([]);
    expect(checkSpec(spec({ name: '-x', shmSize: 1, restart: { name: 'always' }, gpus: ['all', '1'], workdir: 'rel' }))).toEqual([
      expect.stringMatching(/"-x" is not a container name/),
      expect.stringMatching(/shmSize does not apply/),
      expect.stringMatching(/contradict each other/),
      expect.stringMatching(/"all" cannot be combined/),
      expect.stringMatching(/workdir "rel" is not an absolute path/),
    ]);
  });
});

describe('names', () => {
  it('fills a pattern with the first free number, and offers the next free name', () => {
    const v = { user: 'Alice.B', template: 'gpu-dev', image: 'nvcr.io/nvidia/pytorch:25.06-py3' };
    expect(nameFromPattern('{user}-{template}-{n}', v, new Set(['alice.b-gpu-dev-1', 'alice.b-gpu-dev-2']))).toBe('alice.b-gpu-dev-3');
    expect(nameFromPattern('{image}-{user}', v, new Set())).toBe('pytorch-alice.b');
    expect(nextFreeName('train', new Set(['train', 'train-2']))).toBe('train-3');
    expect(nextFreeName('run-2024', new Set(['run-2024-2']))).toBe('run-2024-3');
  });
});
