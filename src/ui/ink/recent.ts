// A cache of what the last frames used, for the text caches of gantry's Ink stage (measuring,
// wrapping, widths, cut lines, composed rows). A frame uses a few dozen texts of each kind (38
// widths and 37 rows at 160×45 in the bench's frames part), but the list's rows change every
// second (CPU %, ages), so a cache that only forgets when it is full keeps thousands of old row
// strings: caches of 2,048–4,096 entries filled over the first 15–30 minutes (+0.7 MiB of row
// strings in 15 minutes in the bench's scene, read from two heap snapshots) before clearing.
// Here two generations of at most `size` entries: a lookup found in the older one moves to the
// newer; when the newer is full it becomes the older and the older is dropped. What every frame
// uses stays; memory is bounded by twice `size`.
export class Recent<V> {
  private now = new Map<string, V>();
  private before = new Map<string, V>();

  constructor(private readonly size: number) {}

  get(key: string, make: () => V): V {
    let v = this.now.get(key);
    if (v !== undefined) return v;
    v = this.before.get(key);
    if (v === undefined) v = make();
    if (this.now.size >= this.size) {
      this.before = this.now;
      this.now = new Map();
    }
    this.now.set(key, v);
    return v;
  }

  /** Entries held (both generations). */
  get held(): number {
    return this.now.size + this.before.size;
  }

  clear(): void {
    this.now.clear();
    this.before.clear();
  }
}
