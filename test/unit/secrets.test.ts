// Secret masking by name and by shape, with real-looking values (shaped as the services issue them;
// none is a live credential) that must be masked and ordinary ones that must not.
import { describe, expect, it } from 'vitest';
import { hasSecretShape, isSecretEnv, isSecretName, MASK, maskArgs, maskCommandLine, maskInspect, maskSecretsInText } from '../../src/text/secrets.js';

const GHP = 'ghp_R8fK2mQ9xLp4Tz7vWc1Yb6Nd3Hs0Ja5Ue2Gi';
const GITHUB_PAT = 'github_pat_11AB2CDEF0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXY';
const GLPAT = 'glpat-xK9v2Lm4Qp8Rt6Wz1Ny3';
const XOXB = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const SK = 'sk-proj-abcDEF123456ghiJKL789012mnoPQR';
const HF = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567';
const AKIA = 'AKIAIOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SLACK_HOOK = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const SECRET_BITS = [GHP.slice(4), GITHUB_PAT.slice(11), GLPAT.slice(6), XOXB.slice(5), SK.slice(3), HF.slice(3), AKIA.slice(4), JWT.slice(3, 30), 'XXXXXXXXXXXXXXXXXXXXXXXX', 's3cret', 'hunter2'];
const leaks = (text: string) => SECRET_BITS.filter((b) => text.includes(b));

describe('secret by name', () => {
  it.each([
    ['GITHUB_PAT', GHP],
    ['JWT', JWT],
    ['AUTH', 'Zm9vOmJhcg=='],
    ['COOKIE', 'session=8f14e45fceea167a5a36dedd4bea2543'],
    ['SLACK_WEBHOOK', SLACK_HOOK],
    ['SLACK_WEBHOOK_URL', SLACK_HOOK],
    ['GIT_AUTH', 'x'],
    ['HTTP_AUTHORIZATION', 'Basic Zm9vOmJhcg=='],
    ['SESSION_COOKIE', 'abc'],
    ['SENTRY_DSN', 'https://1234@o1.ingest.sentry.io/1'],
    ['HF_TOKEN', 'hf_s3cr3t'],
    ['WANDB_API_KEY', 'e5c2b4b0f1a34a7c9d6e8f00112233445566778899'],
    ['OPENAI_API_KEY', SK],
    ['DB_PASSWORD', 'hunter2'],
    ['MAX_TOKENS', 'abc'],
  ])('%s is secret', (name, value) => expect(isSecretEnv(name, value)).toBe(true));

  it.each([
    ['PATH', '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/bin:/bin'],
    ['HOME', '/root'],
    ['CUDA_VISIBLE_DEVICES', '0,1'],
    ['TOKENIZERS_PARALLELISM', 'false'],
    ['HF_HOME', '/cache/huggingface'],
    ['MODEL_URL', 'https://huggingface.co/meta-llama/Meta-Llama-3-8B'],
    ['NVIDIA_DRIVER_CAPABILITIES', 'compute,utility'],
    ['AUTH_TYPE', 'oauth'],
    ['SSH_AUTH_SOCK', '/tmp/ssh-XXXX/agent.1'],
    ['COOKIE_DOMAIN', '.example.com'],
    ['MAX_TOKENS', '4096'],
    ['MAX_NEW_TOKENS', '512'],
    ['PYTHONUNBUFFERED', '1'],
    ['NCCL_DEBUG', 'INFO'],
    ['PWD', '/workspace'],
    ['TASK', 'task-runner-with-a-long-name-here'],
  ])('%s is not secret', (name, value) => expect(isSecretEnv(name, value)).toBe(false));

  it('reads names in any case and separator', () => {
    for (const n of ['githubPat', 'github-pat', 'github.pat', 'apiKey', 'hf_token']) expect(isSecretName(n), n).toBe(true);
  });
});

describe('secret by shape, whatever the name', () => {
  it.each([GHP, GITHUB_PAT, GLPAT, XOXB, SK, HF, AKIA, JWT, SLACK_HOOK, 'postgres://app:s3cret@db:5432/app', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn…'])('%s', (v) => {
    expect(hasSecretShape(v)).toBe(true);
    expect(isSecretEnv('NOTES', v)).toBe(true);
  });

  it.each(['https://huggingface.co/meta-llama', 'postgres://db:5432/app', 'ghp_short', 'sk-learn', 'hf_home', 'Token embeddings are 4096 wide', 'eyJ', '0,1,2,3'])('not %s', (v) => {
    expect(hasSecretShape(v)).toBe(false);
  });

  it('masks only the secret inside text, keeping what kind it was', () => {
    expect(maskSecretsInText(`git clone https://ana:s3cret@github.com/lab/vla.git`)).toBe(`git clone https://ana:${MASK}@github.com/lab/vla.git`);
    expect(maskSecretsInText(`token ${GHP} and ${HF}`)).toBe(`token ghp_${MASK} and hf_${MASK}`);
    expect(maskSecretsInText(`curl -H 'Authorization: Bearer ${JWT}'`)).toBe(`curl -H 'Authorization: Bearer ${MASK}'`);
    expect(maskSecretsInText(SLACK_HOOK)).toBe(`https://hooks.slack.com/services/${MASK}`);
    expect(maskSecretsInText('plain text, nothing here')).toBe('plain text, nothing here');
  });
});

describe('command lines', () => {
  it('masks the values of flags named like secrets, with = or as the next word', () => {
    expect(maskArgs(['python', 'serve.py', '--token=abc123', '--port', '8000'])).toEqual(['python', 'serve.py', `--token=${MASK}`, '--port', '8000']);
    expect(maskArgs(['python', 'serve.py', '--password', 'hunter2', '--port', '8000'])).toEqual(['python', 'serve.py', '--password', MASK, '--port', '8000']);
    expect(maskArgs(['--hf-token', HF, '--api-key=x', '--db-password', 'p'])).toEqual(['--hf-token', MASK, `--api-key=${MASK}`, '--db-password', MASK]);
  });

  it('leaves switches and ordinary flags alone', () => {
    expect(maskArgs(['--use-auth-token', 'meta-llama/Llama-3', '--no-password', 'run', '--max-tokens', '512', '--lr=0.1'])).toEqual([
      '--use-auth-token',
      'meta-llama/Llama-3',
      '--no-password',
      'run',
      '--max-tokens',
      '512',
      '--lr=0.1',
    ]);
    expect(maskArgs(['--token', '--verbose'])).toEqual(['--token', '--verbose']);
  });

  it('masks NAME=value assignments (env, -e, --env=) and secrets by shape in any word', () => {
    expect(maskArgs(['env', `GITHUB_PAT=${GHP}`, 'make'])).toEqual(['env', `GITHUB_PAT=${MASK}`, 'make']);
    expect(maskArgs(['podman', 'run', '-e', `AWS_SECRET_ACCESS_KEY=x`, `--env=HF_TOKEN=${HF}`, '-e', 'MODE=train', 'img'])).toEqual([
      'podman',
      'run',
      '-e',
      `AWS_SECRET_ACCESS_KEY=${MASK}`,
      `--env=HF_TOKEN=${MASK}`,
      '-e',
      'MODE=train',
      'img',
    ]);
    expect(maskArgs(['sh', '-c', `curl -u x https://ana:s3cret@h/ && echo ${GHP}`])).toEqual(['sh', '-c', `curl -u x https://ana:${MASK}@h/ && echo ghp_${MASK}`]);
    expect(maskArgs(['bash', '-lc', 'python serve.py --token abc123 --port 8000'])).toEqual(['bash', '-lc', `python serve.py --token ${MASK} --port 8000`]);
    // A secret value with spaces is masked whole, never word by word.
    expect(maskArgs(['-e', 'DB_PASSWORD=correct horse battery staple'])).toEqual(['-e', `DB_PASSWORD=${MASK}`]);
    expect(maskArgs(['-e', 'JAVA_OPTS=-Xmx1g -Dx=1 --password=hunter2'])).toEqual(['-e', `JAVA_OPTS=-Xmx1g -Dx=1 --password=${MASK}`]);
  });

  it('masks a command line given as one string, keeping its spacing', () => {
    expect(maskCommandLine(`python serve.py  --api-key ${SK} --password=hunter2 --port 8000`)).toBe(`python serve.py  --api-key ${MASK} --password=${MASK} --port 8000`);
    expect(maskCommandLine('sleep 100000')).toBe('sleep 100000');
  });
});

describe('inspect JSON', () => {
  const raw = {
    Id: 'abc',
    Path: 'python',
    Args: ['serve.py', '--token', 'abc123'],
    Config: {
      Env: [`GITHUB_PAT=${GHP}`, `JWT=${JWT}`, 'PATH=/usr/bin', 'TOKENIZERS_PARALLELISM=false', `NOTE=see ${SLACK_HOOK}`],
      Cmd: ['serve.py', '--password', 'hunter2'],
      Entrypoint: null,
      Labels: { AUTH: 'Zm9vOmJhcg==', 'org.opencontainers.image.source': 'https://github.com/lab/vla', cookie: 'a' },
      CreateCommand: ['podman', 'run', '-e', `HF_TOKEN=${HF}`, 'img'],
      Healthcheck: { Test: ['CMD', 'curl', '-H', `Authorization: Bearer ${JWT}`, 'http://localhost/'] },
    },
    State: { Health: { Log: [{ Output: `401 for ${AKIA}` }] }, Pid: 42, Running: true },
  };

  it('masks every secret, wherever it stands, and keeps everything else', () => {
    const before = JSON.stringify(raw);
    const masked = maskInspect(raw) as typeof raw;
    expect(JSON.stringify(raw)).toBe(before);
    const text = JSON.stringify(masked);
    expect(leaks(text)).toEqual([]);
    expect(leaks(before).length).toBeGreaterThan(5);
    expect(masked.Config.Env).toEqual([`GITHUB_PAT=${MASK}`, `JWT=${MASK}`, 'PATH=/usr/bin', 'TOKENIZERS_PARALLELISM=false', `NOTE=${MASK}`]);
    expect(masked.Args).toEqual(['serve.py', '--token', MASK]);
    expect(masked.Config.Labels).toEqual({ AUTH: MASK, 'org.opencontainers.image.source': 'https://github.com/lab/vla', cookie: MASK });
    expect(masked.Config.CreateCommand).toEqual(['podman', 'run', '-e', `HF_TOKEN=${MASK}`, 'img']);
    expect(masked.State).toEqual({ Health: { Log: [{ Output: `401 for AKIA${MASK}` }] }, Pid: 42, Running: true });
    expect(masked.Config.Entrypoint).toBeNull();
  });
});
