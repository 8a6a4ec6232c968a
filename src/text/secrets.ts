// Which values are secrets — by the name they go by and by their shape — and how they are masked
// wherever gantry shows them: env, command lines, labels, the whole inspect JSON.

/** What a secret is shown as: the same whatever its length. */
export const MASK = '********';

/** Name parts that mark a secret wherever they stand (whole parts of NAME_LIKE_THIS, name-like-this, name.like.this or camelCase). */
const SECRET_PART =
  /^(?:(?:API|ACCESS|SECRET|PRIVATE|AUTH|MASTER|SIGNING|ENCRYPTION|CLIENT|SSH|GPG|LICENSE)?KEYS?|.*TOKENS?|.*SECRETS?|.*PASSWORDS?|.*PASSWD|PASS|PASSPHRASE|.*CREDENTIALS?|.*CREDS)$/;
/** Parts that mark a secret as the name's last word (a trailing URL/URI aside): GIT_AUTH, SESSION_COOKIE, SLACK_WEBHOOK_URL; not AUTH_TYPE. */
const SECRET_LAST = /^(?:AUTH|AUTHORIZATION|COOKIES?|WEBHOOKS?|PAT|JWT|DSN|BEARER)$/;
/** Plural parts that also name counts (MAX_TOKENS=4096): a whole number under such a name is no secret. */
const COUNT_PART = /^(?:.*TOKENS|KEYS)$/;

/** Tokens recognisable by their shape wherever they stand; `keep` is the leading part left visible. */
const TOKEN_SHAPES: { re: RegExp; keep: number }[] = [
  { re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, keep: 4 }, // GitHub
  { re: /\bgithub_pat_[A-Za-z0-9_]{30,}/g, keep: 11 },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/g, keep: 6 }, // GitLab
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, keep: 5 }, // Slack
  { re: /\bsk-[A-Za-z0-9_-]{20,}/g, keep: 3 }, // OpenAI, Anthropic
  { re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{20,}/g, keep: 8 }, // Stripe
  { re: /\bhf_[A-Za-z0-9]{30,}/g, keep: 3 }, // Hugging Face
  { re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, keep: 4 }, // AWS access key id
  { re: /\bAIza[0-9A-Za-z_-]{35}/g, keep: 4 }, // Google API key
  { re: /\bnpm_[A-Za-z0-9]{36}/g, keep: 4 },
  { re: /\bpypi-[A-Za-z0-9_-]{50,}/g, keep: 5 },
  { re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, keep: 0 }, // JWT
  { re: /(?<=hooks\.slack\.com\/services\/)[A-Za-z0-9/]+/g, keep: 0 },
  { re: /(?<=discord(?:app)?\.com\/api\/webhooks\/)[A-Za-z0-9/_-]+/g, keep: 0 },
  { re: /(?<=\bAuthorization: ?(?:Bearer|Basic|Token) )[A-Za-z0-9._~+/=-]{6,}/gi, keep: 0 }, // an Authorization header's value
  { re: /(?<=\bBearer )[A-Za-z0-9._~+/=-]{16,}/g, keep: 0 },
];
/** `scheme://user:password@host`: the password. */
const URL_PASSWORD = /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@]+(?=@)/gi;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .filter(Boolean)
    .map((p) => p.toUpperCase());
}

/** True for a name (of a variable, a flag, a label) whose value should not be shown by default. */
export function isSecretName(name: string, value = ''): boolean {
  const parts = nameParts(name);
  const hits = parts.filter((p) => SECRET_PART.test(p));
  if (hits.length > 0) return !(/^\d{1,9}$/.test(value) && hits.every((p) => COUNT_PART.test(p)));
  const last = parts.length > 1 && /^UR[LI]$/.test(parts[parts.length - 1]!) ? parts[parts.length - 2] : parts[parts.length - 1];
  return last !== undefined && SECRET_LAST.test(last);
}

/** True when the text holds a secret by its shape: a known token, a JWT, a password in a URL, a private key. */
export function hasSecretShape(text: string): boolean {
  if (PRIVATE_KEY.test(text)) return true;
  URL_PASSWORD.lastIndex = 0;
  if (URL_PASSWORD.test(text)) return true;
  return TOKEN_SHAPES.some(({ re }) => {
    re.lastIndex = 0;
    return re.test(text);
  });
}

/** True for a variable whose value should not be shown by default: by its name, or by its value's shape. */
export function isSecretEnv(name: string, value = ''): boolean {
  return isSecretName(name, value) || hasSecretShape(value);
}

/** A secret's value as shown: the mask, whatever its length; nothing for an empty one. */
export function maskValue(value: string): string {
  return value === '' ? '' : MASK;
}

/** Text with every secret found by its shape masked, the rest kept: `https://ana:********@host`, `ghp_********`. */
export function maskSecretsInText(text: string): string {
  if (PRIVATE_KEY.test(text)) return MASK;
  let out = text.replace(URL_PASSWORD, MASK);
  for (const { re, keep } of TOKEN_SHAPES) out = out.replace(re, (m) => m.slice(0, keep) + MASK);
  return out;
}

/**
 * `NAME=value` with the whole value masked when it is a secret; text with spaces (a `sh -c` script,
 * `JAVA_OPTS=… --password=…`) word by word as a command line; anything else with its secret shapes masked.
 */
export function maskAssignment(kv: string): string {
  const m = /^([A-Za-z_][\w.-]*)=([\s\S]*)$/.exec(kv);
  if (m && isSecretEnv(m[1]!, m[2]!)) return `${m[1]}=${maskValue(m[2]!)}`;
  return /\s/.test(kv) ? maskCommandLine(kv) : maskSecretsInText(kv);
}

/** Flags that only switch something on or off: the argument after them is not their value. */
const SWITCH = /^(?:no|use|enable|disable|with|without|skip)-/i;

/**
 * A command line (argv) with its secrets masked: the value of a flag named like a secret
 * (`--token=…`, `--password …`, `--hf-token …`), `NAME=value` assignments (`env GITHUB_PAT=…`,
 * `-e AWS_SECRET_ACCESS_KEY=…`, `--env=…`), and secrets found by their shape in any argument.
 */
export function maskArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  // A long flag without =: the next word may be its value.
  let flagName: string | undefined;
  for (const a of argv) {
    const pending = flagName;
    flagName = undefined;
    if (pending !== undefined && !a.startsWith('-') && isSecretName(pending, a)) {
      out.push(maskValue(a));
      continue;
    }
    const flag = /^(--?[A-Za-z][\w.-]*)(?:=([\s\S]*))?$/.exec(a);
    if (flag) {
      const name = flag[1]!.replace(/^-+/, '');
      const value = flag[2];
      if (value === undefined) {
        if (flag[1]!.startsWith('--') && !SWITCH.test(name)) flagName = name;
        out.push(a);
      } else out.push(`${flag[1]}=${isSecretName(name, value) ? maskValue(value) : maskAssignment(value)}`);
      continue;
    }
    out.push(maskAssignment(a));
  }
  return out;
}

/** A command line as one string (as `docker ps` and `top` give it): its words masked as maskArgs does, spacing kept. */
export function maskCommandLine(line: string): string {
  const parts = line.split(/(\s+)/);
  const words = maskArgs(parts.filter((_, i) => i % 2 === 0));
  return parts.map((p, i) => (i % 2 === 0 ? words[i / 2]! : p)).join('');
}

/** Keys of inspect JSON whose arrays are command lines, whose arrays are `NAME=value`, whose objects map names to values. */
const ARGV_KEYS = new Set(['Cmd', 'Entrypoint', 'Args', 'CreateCommand', 'Test']);
const ENV_KEYS = new Set(['Env']);
const MAP_KEYS = new Set(['Labels', 'Annotations']);

/** A copy of inspect JSON (either engine) with every secret masked: env, command lines, labels, and any string by its shape. */
export function maskInspect(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return maskSecretsInText(value);
  if (Array.isArray(value)) {
    if (ARGV_KEYS.has(key) && value.every((x) => typeof x === 'string')) return maskArgs(value as string[]);
    if (ENV_KEYS.has(key)) return value.map((x) => (typeof x === 'string' ? maskAssignment(x) : maskInspect(x)));
    return value.map((x) => maskInspect(x));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = MAP_KEYS.has(key) && typeof v === 'string' ? (isSecretEnv(k, v) ? maskValue(v) : maskSecretsInText(v)) : maskInspect(v, k);
    }
    return out;
  }
  return value;
}
