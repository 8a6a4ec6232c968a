// Byte counts for people, in the two conventions the engines' own tools use: binary (MiB) for
// memory and rates, as `docker stats`; decimal (MB) for disk, as `docker images` and `system df`.

/** 512 B, 1.5 KiB, 20.25 MiB, 3 GiB (binary, as docker stats shows memory). */
export function binaryBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const s = u === 0 || Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${s} ${units[u]}`;
}

/** 0 B, 512 B, 1.5 kB, 20.1 MB, 3.2 GB (decimal, as docker images and docker system df). */
export function decimalBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** 512B, 836K, 20M, 1.5G (binary, one letter: a list column's memory). */
export function compactBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${Math.round(n / 1024)}K`;
  if (n < 1024 ** 3) return `${Math.round(n / 1024 ** 2)}M`;
  return `${(n / 1024 ** 3).toFixed(1)}G`;
}
