// A region on screen that the frame writer fills instead of Ink: Ink lays out an empty box of the
// right size, and FrameStdout (screen.ts) draws `rows` into it at each flush — so what changes
// often (the log's lines) is drawn without a React render. Without a frame writer (the UI tests'
// renderer) the same rows are drawn by Ink as lines of text.
import React, { createContext, useContext, useLayoutEffect, useRef } from 'react';
import { Box, Text, type DOMElement } from 'ink';
import type { FrameStdout, Rect } from './screen.js';

/** The frame writer that fills regions, when there is one. */
export const RegionHost = createContext<FrameStdout | undefined>(undefined);

/** Where a laid-out Ink element is on screen: its offsets summed up to the root. */
export function screenRect(node: DOMElement): Rect | undefined {
  const own = node.yogaNode;
  if (!own) return undefined;
  let x = 0;
  let y = 0;
  for (let n: DOMElement | undefined = node; n; n = n.parentNode) {
    if (!n.yogaNode) return undefined;
    x += n.yogaNode.getComputedLeft();
    y += n.yogaNode.getComputedTop();
    if (!n.parentNode && n.nodeName !== 'ink-root') return undefined;
  }
  return { x, y, width: own.getComputedWidth(), height: own.getComputedHeight() };
}

export interface RegionProps {
  id: string;
  width: number;
  height: number;
  /** The rows, as text with SGR colours; called at each frame the region is drawn in. */
  rows(width: number, height: number): readonly string[];
}

export function Region({ id, width, height, rows }: RegionProps) {
  const host = useContext(RegionHost);
  const ref = useRef<DOMElement>(null);
  const latest = useRef(rows);
  latest.current = rows;
  useLayoutEffect(() => {
    if (!host) return undefined;
    host.setRegion(id, {
      rect: () => (ref.current ? screenRect(ref.current) : undefined),
      rows: (w, h) => latest.current(w, h),
    });
    return () => host.setRegion(id, undefined);
  }, [host, id]);
  if (!host) {
    return (
      <Box flexDirection="column" width={width} height={height} flexShrink={0}>
        {rows(width, height).map((r, i) => (
          <Text key={i} wrap="truncate">
            {r || ' '}
          </Text>
        ))}
      </Box>
    );
  }
  return <Box ref={ref} width={width} height={height} flexShrink={0} />;
}
