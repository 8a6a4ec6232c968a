// The registry of panes: for each, its title, the binding scopes its list keys come from, and its
// view. The tabs row, the number keys, `?` help, the key dispatcher and the body all read this; a
// new pane is one entry here (plus, for a resource kind, its entry in src/actions/kinds.ts and its
// columns).
import React from 'react';
import { Box, Text } from 'ink';
import type { AppState, PaneId } from '../../store/state.js';
import type { Controller } from '../controller.js';
import type { Theme } from '../theme.js';
import type { Scope } from '../keys/bindings.js';
import { ContainersPane } from './containers.js';
import { ResourceList } from './resources.js';
import { SystemPane } from './system.js';
import { GpuPane } from './gpus.js';
import { ServersPane } from './servers.js';

export interface PaneProps {
  state: AppState;
  controller: Controller;
  /** Rows of the body below the header row. */
  rows: number;
  width: number;
  theme: Theme;
}

export interface PaneDef {
  title: string;
  /** Its name on a tab row too narrow for the titles. */
  short: string;
  /** Where its keys are looked up, first match wins (see modes/top.ts). */
  scopes: Scope[];
  View(p: PaneProps): React.ReactElement;
}

const RESOURCE_SCOPES: Scope[] = ['always', 'resources', 'marks', 'list', 'global'];

export const PANE_DEFS: { readonly [P in PaneId]: PaneDef } = {
  containers: {
    title: 'Containers',
    short: 'Ctr',
    scopes: ['always', 'containers', 'marks', 'list', 'global'],
    View: (p) => <ContainersPane state={p.state} session={p.controller.logSession?.()} panelData={p.controller.panelData?.()} width={p.width} rows={p.rows + 1} theme={p.theme} />,
  },
  images: { title: 'Images', short: 'Img', scopes: ['always', 'images', ...RESOURCE_SCOPES.slice(1)], View: (p) => <ResourceList {...p} pane="images" /> },
  volumes: { title: 'Volumes', short: 'Vol', scopes: RESOURCE_SCOPES, View: (p) => <ResourceList {...p} pane="volumes" /> },
  networks: { title: 'Networks', short: 'Net', scopes: RESOURCE_SCOPES, View: (p) => <ResourceList {...p} pane="networks" /> },
  gpus: {
    title: 'GPUs',
    short: 'GPU',
    scopes: ['always', 'gpus', 'list', 'global'],
    View: (p) =>
      p.state.gpu.enabled ? (
        <GpuPane {...p} />
      ) : (
        <Box flexDirection="column" width={p.width} height={p.rows + 1} paddingLeft={1}>
          <Text bold>GPUs</Text>
          <Text color={p.theme.dim}>GPU watching is off (started with --no-gpu, or gpu: false in the config). Press 1 for Containers.</Text>
        </Box>
      ),
  },
  system: { title: 'System', short: 'Sys', scopes: ['always', 'global'], View: (p) => <SystemPane {...p} /> },
  servers: { title: 'Servers', short: 'Srv', scopes: ['always', 'servers', 'list', 'global'], View: (p) => <ServersPane {...p} /> },
};
