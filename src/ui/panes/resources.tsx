// The Images, Volumes and Networks panes: each kind's columns and row colours, drawn by the one
// list pane. What a kind lists and removes is in src/actions/kinds.ts.
import React from 'react';
import { shortImageId, type ImageRow, type NetworkRow, type VolumeRow } from '../../engine/models.js';
import { decimalBytes } from '../../present/bytes.js';
import type { AppState, ResourcePane, ResourceRow, ResourceRowOf } from '../../store/state.js';
import { dimEngines, engineLabel, resourceRows, selectedResource } from '../../store/select.js';
import { shortDuration } from '../../present/container.js';
import type { Theme } from '../theme.js';
import { QUARTER_MINUTE, useNow } from '../clock.js';
import { ListPane, type RowStyle } from '../list/ListPane.js';
import { ENGINE_MAX, type Column } from '../list/columns.js';

type Columns = { [P in ResourcePane]: (now: number, state: AppState) => Column<ResourceRowOf[P]>[] };

const engine = (state: AppState) => ({ title: 'ENGINE', text: (r: ResourceRow) => engineLabel(state, r.engineId), min: 6, max: ENGINE_MAX, shrink: 1 });

export const RESOURCE_COLUMNS: Columns = {
  images: (now, state) => [
    engine(state),
    { title: 'REPOSITORY:TAG', text: (i: ImageRow) => (i.repoTags.length ? i.repoTags.join(', ') : '<none> (dangling)'), min: 14, max: 60, grow: 3 },
    { title: 'ID', text: (i: ImageRow) => shortImageId(i.id), min: 12, max: 12 },
    { title: 'SIZE', text: (i: ImageRow) => decimalBytes(i.size), align: 'right', min: 7, max: 9 },
    { title: 'CREATED', text: (i: ImageRow) => shortDuration(now - i.created * 1000), align: 'right', min: 7, max: 8 },
    { title: 'USED BY', text: (i: ImageRow) => (i.containers === 0 ? 'unused' : `${i.containers}: ${i.containerNames.join(', ')}`), min: 7, max: 60, grow: 2, shrink: 2 },
  ],
  volumes: (_now, state) => [
    engine(state),
    { title: 'NAME', text: (v: VolumeRow) => v.name, min: 8, max: 64, grow: 3 },
    { title: 'DRIVER', text: (v: VolumeRow) => v.driver, min: 6, max: 10 },
    { title: 'SIZE', text: (v: VolumeRow) => (v.size === undefined ? '?' : decimalBytes(v.size)), align: 'right', min: 7, max: 9 },
    { title: 'KIND', text: (v: VolumeRow) => (v.anonymous ? 'anonymous' : 'named'), min: 9, max: 9 },
    { title: 'USED BY', text: (v: VolumeRow) => (v.containers.length ? v.containers.join(', ') : 'unused'), min: 7, max: 60, grow: 2, shrink: 2 },
  ],
  networks: (_now, state) => [
    engine(state),
    { title: 'NAME', text: (n: NetworkRow) => (n.builtin ? `${n.name} (built-in)` : n.name), min: 8, max: 48, grow: 3 },
    { title: 'DRIVER', text: (n: NetworkRow) => n.driver, min: 6, max: 10 },
    { title: 'SCOPE', text: (n: NetworkRow) => n.scope, min: 5, max: 6 },
    { title: 'ID', text: (n: NetworkRow) => n.id.slice(0, 12), min: 12, max: 12 },
    { title: 'CONTAINERS', text: (n: NetworkRow) => (n.containers.length ? n.containers.join(', ') : '-'), min: 10, max: 60, grow: 2, shrink: 2 },
  ],
};

function rowStyle(pane: ResourcePane, r: ResourceRow, theme: Theme): RowStyle | undefined {
  if (pane === 'images' && (r as ImageRow).dangling) return { color: theme.warn };
  const unused = (pane === 'images' && (r as ImageRow).containers === 0) || (pane === 'volumes' && (r as VolumeRow).containers.length === 0);
  return unused ? { color: theme.dim } : undefined;
}

export function ResourceList({ state, pane, rows, width, theme }: { state: AppState; pane: ResourcePane; rows: number; width: number; theme: Theme }) {
  const now = useNow(QUARTER_MINUTE);
  const list = resourceRows(state, pane) as readonly ResourceRow[];
  const sel = selectedResource(state, pane);
  const errors = Object.entries(state.resources.errors)
    .filter(([k]) => k.startsWith(`${pane}/`))
    .map(([, text]) => ({ text, color: theme.error }));
  const filter = state.ui.filters[pane];
  const down = dimEngines(state);
  const empty = !state.resources.loaded[pane] ? `loading ${pane}…` : filter ? `no ${pane} match "${filter}" (Esc clears the filter)` : `no ${pane} on any engine`;
  return (
    <ListPane<ResourceRow>
      rows={list}
      columns={RESOURCE_COLUMNS[pane](now, state) as Column<ResourceRow>[]}
      cursor={sel ? list.indexOf(sel) : -1}
      width={width}
      height={rows + 1}
      theme={theme}
      rowKey={(r) => r.key}
      marked={(r) => state.ui.marks[r.key] === true}
      style={(r) => (down.has(r.engineId) ? { dim: true } : rowStyle(pane, r, theme))}
      measureKey={String(now)}
      empty={empty}
      notices={errors}
    />
  );
}
