// A line being typed (a filter, a log search, a `:` command) with its cursor, and the line
// editor behind it: insert, delete either way, move by character, to either end, delete to
// either end and the word before (Ctrl-U, Ctrl-K, Ctrl-W), as in a shell. Pure apart from the view.
import React from 'react';
import { Text } from 'ink';
import type { Prompt } from '../store/state.js';
import { printable } from '../text/width.js';

export type EditOp = 'backspace' | 'delete' | 'left' | 'right' | 'home' | 'end' | 'kill-start' | 'kill-end' | 'kill-word';

/** The line after an edit. Positions count code points, so an emoji is one step. */
export function editLine(p: Pick<Prompt, 'text' | 'cursor'>, op: EditOp | { insert: string }): { text: string; cursor: number } {
  const chars = [...p.text];
  const at = Math.max(0, Math.min(p.cursor, chars.length));
  const out = (c: string[], cursor: number) => ({ text: c.join(''), cursor });
  if (typeof op === 'object') {
    const ins = [...op.insert.replace(/[\x00-\x1f\x7f-\x9f]/g, '')];
    return out([...chars.slice(0, at), ...ins, ...chars.slice(at)], at + ins.length);
  }
  switch (op) {
    case 'backspace':
      return at === 0 ? out(chars, 0) : out([...chars.slice(0, at - 1), ...chars.slice(at)], at - 1);
    case 'delete':
      return out([...chars.slice(0, at), ...chars.slice(at + 1)], at);
    case 'left':
      return out(chars, Math.max(0, at - 1));
    case 'right':
      return out(chars, Math.min(chars.length, at + 1));
    case 'home':
      return out(chars, 0);
    case 'end':
      return out(chars, chars.length);
    case 'kill-start':
      return out(chars.slice(at), 0);
    case 'kill-end':
      return out(chars.slice(0, at), at);
    case 'kill-word': {
      let i = at;
      while (i > 0 && /\s/.test(chars[i - 1]!)) i--;
      while (i > 0 && !/\s/.test(chars[i - 1]!)) i--;
      return out([...chars.slice(0, i), ...chars.slice(at)], i);
    }
  }
}

/** The typed text with its cursor: a block at the end, or the character under it in inverse. */
export function PromptText({ prompt }: { prompt: Pick<Prompt, 'text' | 'cursor'> }) {
  const chars = [...printable(prompt.text)];
  const at = Math.min(prompt.cursor, chars.length);
  if (at >= chars.length) return <Text>{chars.join('')}█</Text>;
  return (
    <Text>
      {chars.slice(0, at).join('')}
      <Text inverse>{chars[at]}</Text>
      {chars.slice(at + 1).join('')}
    </Text>
  );
}
