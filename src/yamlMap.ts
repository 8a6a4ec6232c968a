// Reading a small YAML file that must be one mapping (config.yaml, run templates), with every
// problem named by file and line. Callers validate each key; this reads and locates.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { quoteForMessage } from './text/controls.js';

export type { YamlNode };

export interface YamlEntry {
  key: string;
  keyNode: YamlNode;
  value: YamlNode | null;
}

export interface YamlMapFile {
  /** The top-level keys in order; empty for an empty file. */
  entries: YamlEntry[];
  /** "FILE line N" for a node (or just FILE). */
  at(node: YamlNode | null | undefined): string;
}

/**
 * Parses `text`; throws `mkError(message)` for YAML that does not parse, a duplicate key, or a
 * document that is not a mapping of keys (`what` names it: "the config", "a template").
 */
export function readYamlMap(text: string, file: string, what: string, mkError: (message: string) => Error): YamlMapFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (node: YamlNode | null | undefined) => {
    const r = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
    return r ? `${file} line ${lc.linePos(r[0]).line}` : file;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? (e.pos ? lc.linePos(e.pos[0]).line : undefined);
    throw mkError(`${file}${line ? ` line ${line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || root === undefined || (isScalar(root) && (root.value === null || root.value === ''))) return { entries: [], at };
  if (!isMap(root)) throw mkError(`${at(root as YamlNode)}: ${what} must be a mapping of keys to values`);
  const entries = root.items.map((pair: Pair) => {
    const keyNode = pair.key as YamlNode;
    return { key: isScalar(keyNode) ? String(keyNode.value) : String(keyNode), keyNode, value: (pair.value as YamlNode | null) ?? null };
  });
  return { entries, at };
}

/** How a value reads in a message: "yes" (controls shown, cut), 5, a list, a mapping, nothing. */
export function describeYaml(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) return node.value === null ? 'nothing' : typeof node.value === 'string' ? quoteForMessage(node.value, 80) : String(node.value);
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  return 'something else';
}
