// Sizes of the screen's parts, from the terminal size. Pure.

export const MIN_COLS = 80;
export const MIN_ROWS = 24;

export interface Layout {
  tooSmall: boolean;
  /** The frame is one row shorter than the terminal: Ink clears the whole screen otherwise. */
  height: number;
  width: number;
  listRows: number;
}

/** `status`: the status line's rows (an error's words take up to three). */
export function computeLayout(cols: number, rows: number, banners: number, strip = 0, status = 1): Layout {
  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const height = Math.max(1, rows - 1);
  const width = cols;
  // header, tabs, banners, table header, GPU strip, status line, key hints
  const listRows = Math.max(1, height - 4 - banners - strip - status);
  return { tooSmall, height, width, listRows };
}

export interface PanelLayout {
  mode: 'side' | 'stack' | 'full' | 'list';
  /** Container rows (without the table header); 0 when the panel is full screen. */
  listRows: number;
  listWidth: number;
  /** Rows of the panel, its title and status rows included. */
  panelRows: number;
  panelWidth: number;
}

/**
 * The Containers pane: the list and the main panel (logs, details). Wide terminals put them side
 * by side; narrower ones put the list above, as tall as its rows need up to 40 %. `full`: the
 * panel alone; `listOnly`: the list alone, full width.
 */
export function panelLayout(cols: number, bodyRows: number, listCount: number, full: boolean, listOnly = false): PanelLayout {
  if (full) return { mode: 'full', listRows: 0, listWidth: cols, panelRows: bodyRows, panelWidth: cols };
  if (listOnly) return { mode: 'list', listRows: bodyRows - 1, listWidth: cols, panelRows: 0, panelWidth: 0 };
  if (cols >= 160) {
    const listWidth = Math.max(80, Math.floor(cols * 0.5));
    return { mode: 'side', listRows: bodyRows - 1, listWidth, panelRows: bodyRows, panelWidth: cols - listWidth - 1 };
  }
  const maxList = Math.max(3, Math.floor(bodyRows * 0.4));
  const listRows = Math.min(maxList, Math.max(3, listCount));
  return { mode: 'stack', listRows, listWidth: cols, panelRows: Math.max(3, bodyRows - listRows - 1), panelWidth: cols };
}
