// gantry's version and the oldest Node.js it runs on, from package.json (put in by the bundler,
// scripts/build.mjs); when run from source: 0.0.0-dev, and engines.node's 20 (a unit test compares).
declare const GANTRY_VERSION: string | undefined;
declare const GANTRY_NODE_MAJOR: number | undefined;
export const VERSION = typeof GANTRY_VERSION === 'string' ? GANTRY_VERSION : '0.0.0-dev';
export const NODE_MAJOR_NEEDED = typeof GANTRY_NODE_MAJOR === 'number' ? GANTRY_NODE_MAJOR : 20;
