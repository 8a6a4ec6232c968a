// The crash log a user attaches to a bug report: private (0600), with gantry's version, the
// arguments with secret values dropped, and the stack mapped from the bundle to source positions.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSecretEnv } from './text/secrets.js';
import { VERSION } from './version.js';

export const DROPPED = '<dropped>';

/** gantry's state folder: $XDG_STATE_HOME/gantry, else ~/.local/state/gantry. */
export function crashLogDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'gantry');
}

/**
 * The arguments with the values of flags that look secret (`--token=…`, `--password …`, a URL with
 * a password in it) replaced by DROPPED: a crash log gets pasted into public issues.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const withValue = /^(--?[^=\s]+)=(.*)$/s.exec(a);
    if (withValue) {
      const [, flag, value] = withValue as unknown as [string, string, string];
      out.push(isSecretEnv(flag.replace(/^-+/, ''), value) ? `${flag}=${DROPPED}` : a);
      continue;
    }
    const next = args[i + 1];
    if (/^--?[A-Za-z]/.test(a) && next !== undefined && !next.startsWith('-')) {
      if (isSecretEnv(a.replace(/^-+/, ''), next)) {
        out.push(a, DROPPED);
        i++;
        continue;
      }
    }
    out.push(isSecretEnv('', a) ? DROPPED : a);
  }
  return out;
}

const FRAME = /^(\s*at (?:.*? \()?)((?:file:\/\/)?\/[^\s()]+?):(\d+):(\d+)(\)?)$/;
const MAP_MAX_BYTES = 32 * 1024 * 1024;

/** Reads the source map beside a bundle file, or undefined (not shipped, unreadable, too big). */
export function readMap(file: string): SourceMapPayload | undefined {
  const mapFile = `${file}.map`;
  try {
    if (!existsSync(mapFile) || statSync(mapFile).size > MAP_MAX_BYTES) return undefined;
    return JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
  } catch {
    return undefined;
  }
}

/**
 * Each stack frame in a file that has a source map, rewritten to the source position it came
 * from (relative to the package: `src/cli.ts:250:11`), followed by the bundle position it had.
 */
export function mapStack(stack: string, loadMap: (file: string) => SourceMapPayload | undefined = readMap): string {
  const maps = new Map<string, SourceMap | undefined>();
  const lookup = (file: string) => {
    if (!maps.has(file)) {
      const payload = loadMap(file);
      maps.set(file, payload ? new SourceMap(payload) : undefined);
    }
    return maps.get(file);
  };
  return stack
    .split('\n')
    .map((line) => {
      const m = FRAME.exec(line);
      if (!m) return line;
      const [, head, where, l, c] = m as unknown as [string, string, string, string, string];
      const file = where.startsWith('file://') ? fileURLToPath(where) : where;
      const map = lookup(file);
      const entry = map?.findEntry(Number(l) - 1, Number(c) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
      if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return line;
      const root = dirname(dirname(file));
      const source = /^[a-z]+:/.test(entry.originalSource) ? entry.originalSource : relative(root, resolve(dirname(file), entry.originalSource));
      const indent = /^\s*/.exec(line)![0];
      const name = /^\s*at (.*?) \($/.exec(head)?.[1];
      return `${indent}at ${source}:${entry.originalLine + 1}:${entry.originalColumn + 1} (${relative(root, file)}:${l}:${c}${name ? ` ${name}` : ''})`;
    })
    .join('\n');
}

/** The crash log's text. */
export function crashReport(err: unknown, argv: readonly string[] = process.argv.slice(2), now = new Date()): string {
  const stack = err instanceof Error ? (err.stack ?? String(err)) : String(err);
  return [
    `gantry ${VERSION} crashed at ${now.toISOString()}`,
    `node ${process.version} on ${process.platform}/${process.arch}`,
    `argv: ${JSON.stringify(redactArgs(argv))}`,
    '',
    mapStack(stack),
    '',
  ].join('\n');
}

/** Writes the crash log (mode 0600, in a 0700 folder) and returns its path. */
export function writeCrashLog(err: unknown, env: Record<string, string | undefined> = process.env, argv: readonly string[] = process.argv.slice(2)): string {
  const now = new Date();
  const body = crashReport(err, argv, now);
  const name = `crash-${now.toISOString().replace(/[:.]/g, '-')}.log`;
  // The state folder; else a new private folder under /tmp (never a shared, guessable one).
  const places = [() => crashLogDir(env), () => mkdtempSync(join(tmpdir(), 'gantry-crash-'))];
  for (const place of places) {
    try {
      const dir = place();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, name);
      writeFileSync(path, body, { mode: 0o600, flag: 'wx' });
      return path;
    } catch {
      // try the next place
    }
  }
  return '(could not write a crash log)';
}

/** Writes the crash log and tells the user where it is. The caller restores the terminal first. */
export function reportCrash(err: unknown): void {
  const path = writeCrashLog(err);
  process.stderr.write(
    `gantry crashed: ${err instanceof Error ? err.message : String(err)}\nThe details are in ${path}\nPlease report it with that file and the output of \`gantry doctor\`.\n`,
  );
}
