// Folds what an engine streams during a pull into one shape for both engines: per layer an id, a
// phase and bytes; totals and a rate. Pure (the clock is passed in).
//
// What the engines send (seen on dockerd 20.10 and Podman 4.3.1):
// - Docker `/images/create`: {status, id, progressDetail:{current,total}} per layer through
//   Pulling fs layer → Waiting → Downloading → Verifying Checksum → Download complete →
//   Extracting → Pull complete, or Already exists; plus "Pulling from …", "Digest: …",
//   "Status: Downloaded newer image for …" without a layer id.
// - Podman's compatible `/images/create`: Pulling fs layer, Downloading (bytes, once a second),
//   Download complete, Already exists; the config blob is reported as one more "layer" and the
//   image id comes last as a second "Download complete". No extraction phase.
// - Podman's `/libpod/images/pull`: text lines {stream:"Copying blob sha256:…\n"} when a blob
//   starts, no bytes at all, and {images:[id], id} at the end.
// Both send {error, errorDetail:{message}} (libpod: {error}) when the pull fails.
import { sanitizeLine } from './logs/sanitize.js';

export type LayerPhase = 'waiting' | 'downloading' | 'verifying' | 'downloaded' | 'extracting' | 'done' | 'exists' | 'copying';

export interface LayerProgress {
  /** The short layer id (12 hex digits), as `docker pull` shows it. */
  id: string;
  phase: LayerPhase;
  /** The engine's own word for the phase (sanitised), e.g. "Downloading", "Retrying in 5 seconds". */
  status: string;
  /** Bytes of the current phase (download, or extraction while extracting); undefined when unknown. */
  current?: number;
  total?: number;
}

export interface PullTotals {
  /** Bytes downloaded so far, over the layers whose size is known. */
  currentBytes: number;
  /** Sum of the known layer sizes (grows as layers start: an engine tells sizes late). */
  totalBytes: number;
  /** False on Podman's libpod endpoint, which reports no bytes. */
  bytesKnown: boolean;
  layers: number;
  /** Layers finished (done, already there, or downloaded where there is no extraction). */
  layersDone: number;
  /** Download rate over the last seconds, bytes per second. */
  rateBytesPerSec: number;
}

export type PullEvent =
  | { type: 'layer'; layer: LayerProgress; totals: PullTotals }
  | { type: 'status'; text: string; totals: PullTotals };

/** One JSON line of either engine's pull stream (the parts used). */
export interface RawPullLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number } | null;
  error?: string;
  errorDetail?: { message?: string } | null;
  stream?: string;
  images?: string[] | null;
  message?: string;
}

export interface FeedResult {
  events: PullEvent[];
  /** The engine reported a failure (its words, sanitised). */
  error?: string;
  /** The engine named the pulled image (libpod's last line). */
  imageId?: string;
}

const RATE_WINDOW_MS = 3000;
const FINISHED: ReadonlySet<LayerPhase> = new Set(['done', 'exists']);

function clean(s: string): string {
  return sanitizeLine(s.replace(/\s+$/, ''), { keepColor: false });
}

const PHASES: readonly [RegExp, LayerPhase][] = [
  [/^Pulling fs layer/i, 'waiting'],
  [/^Waiting/i, 'waiting'],
  [/^Retrying/i, 'waiting'],
  [/^Downloading/i, 'downloading'],
  [/^Verifying Checksum/i, 'verifying'],
  [/^Download complete/i, 'downloaded'],
  [/^Extracting/i, 'extracting'],
  [/^Pull complete/i, 'done'],
  [/^Already exists/i, 'exists'],
];

export class PullTracker {
  private readonly order: string[] = [];
  private readonly layers = new Map<string, LayerProgress>();
  /** Per layer: bytes downloaded and its size, kept apart from extraction progress. */
  private readonly dl = new Map<string, { current: number; total?: number }>();
  private samples: { t: number; bytes: number }[] = [];
  private bytesKnown = true;

  /**
   * `extracts`: the engine extracts after downloading (Docker); Podman's compatible endpoint does
   * not, so a downloaded layer is finished there.
   */
  constructor(
    private readonly extracts: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(): LayerProgress[] {
    return this.order.map((id) => ({ ...this.layers.get(id)! }));
  }

  totals(): PullTotals {
    let cur = 0;
    let tot = 0;
    for (const d of this.dl.values()) {
      if (d.total === undefined) continue;
      tot += d.total;
      cur += Math.min(d.current, d.total);
    }
    const done = [...this.layers.values()].filter((l) => FINISHED.has(l.phase) || (!this.extracts && this.bytesKnown && l.phase === 'downloaded')).length;
    return { currentBytes: cur, totalBytes: tot, bytesKnown: this.bytesKnown, layers: this.layers.size, layersDone: done, rateBytesPerSec: this.rate(cur) };
  }

  private rate(bytes: number): number {
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    if (!last || last.bytes !== bytes || t - last.t > 500) this.samples.push({ t, bytes });
    this.samples = this.samples.filter((s) => t - s.t <= RATE_WINDOW_MS);
    const first = this.samples[0]!;
    const span = t - first.t;
    return span >= 250 ? Math.max(0, ((bytes - first.bytes) * 1000) / span) : 0;
  }

  private setLayer(id: string, phase: LayerPhase, status: string, current?: number, total?: number): LayerProgress {
    if (!this.layers.has(id)) this.order.push(id);
    const l: LayerProgress = { id, phase, status };
    if (current !== undefined) l.current = current;
    if (total !== undefined) l.total = total;
    this.layers.set(id, l);
    return l;
  }

  private layerLine(id: string, status: string, detail: RawPullLine['progressDetail']): LayerProgress | undefined {
    const phase = PHASES.find(([re]) => re.test(status))?.[1];
    if (!phase) return undefined;
    const d = this.dl.get(id) ?? { current: 0 };
    const cur = typeof detail?.current === 'number' ? detail.current : undefined;
    const tot = typeof detail?.total === 'number' && detail.total > 0 ? detail.total : undefined;
    if (phase === 'downloading') {
      if (tot !== undefined) d.total = tot;
      if (cur !== undefined) d.current = cur;
    } else if (phase === 'verifying' || phase === 'downloaded' || phase === 'extracting' || phase === 'done') {
      if (d.total !== undefined) d.current = d.total;
    }
    this.dl.set(id, d);
    if (phase === 'extracting') return this.setLayer(id, phase, clean(status), cur, tot);
    if (phase === 'downloading') return this.setLayer(id, phase, clean(status), d.current, d.total);
    return this.setLayer(id, phase, clean(status), d.total, d.total);
  }

  /** libpod's text lines: a blob starts; the config or manifest means every blob is in. */
  private streamLine(text: string): PullEvent[] {
    this.bytesKnown = false;
    const totals = () => this.totals();
    const blob = /^Copying blob (?:sha256:)?([0-9a-f]{12})/i.exec(text);
    if (blob) {
      const l = this.setLayer(blob[1]!, 'copying', 'Copying');
      return [{ type: 'layer', layer: { ...l }, totals: totals() }];
    }
    const out: PullEvent[] = [];
    if (/^(Copying config|Writing manifest)/i.test(text)) {
      for (const id of this.order) {
        const l = this.layers.get(id)!;
        if (l.phase === 'copying') out.push({ type: 'layer', layer: { ...this.setLayer(id, 'done', 'Copied') }, totals: totals() });
      }
    }
    const skipped = /^Copying blob (?:sha256:)?([0-9a-f]{12})[0-9a-f]* skipped: already exists/i.exec(text);
    if (skipped) out.push({ type: 'layer', layer: { ...this.setLayer(skipped[1]!, 'exists', 'Already exists') }, totals: totals() });
    out.push({ type: 'status', text: clean(text), totals: totals() });
    return out;
  }

  /** Takes one line of the stream; returns what changed. */
  feed(raw: RawPullLine): FeedResult {
    const err = raw.errorDetail?.message || raw.error;
    if (err) return { events: [], error: clean(err) };
    if (Array.isArray(raw.images) && raw.images.length > 0) return { events: [], imageId: String(raw.images[0]) };
    if (typeof raw.stream === 'string') {
      const lines = raw.stream.split('\n').map((l) => l.trim()).filter(Boolean);
      return { events: lines.flatMap((l) => this.streamLine(l)) };
    }
    const status = raw.status ?? '';
    if (!status) return { events: [] };
    if (raw.id && /^[0-9a-f]{12}$/i.test(raw.id)) {
      const l = this.layerLine(raw.id, status, raw.progressDetail);
      if (l) return { events: [{ type: 'layer', layer: { ...l }, totals: this.totals() }] };
    }
    return { events: [{ type: 'status', text: clean(status), totals: this.totals() }] };
  }
}
