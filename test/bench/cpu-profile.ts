/**
 * Summarises a V8 `.cpuprofile` (what `node --cpu-prof` writes): top self-time functions, and time by
 * category (openai SDK, MCP SDK, Node's fetch, fastify, pino, …) both as self time and as "on the stack".
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds between consecutive samples (the first is relative to startTime). */
  timeDeltas: number[];
}

export interface Share {
  label: string;
  /** Percent of busy (non-idle) samples. */
  percent: number;
  ms: number;
}

export interface ProfileSummary {
  busyMs: number;
  idlePercent: number;
  topSelf: Share[];
  selfByCategory: Share[];
  /** Percent of busy samples with a frame of the library on the (synchronous) stack. */
  onStackByCategory: Share[];
}

/**
 * First match wins; matched against the frame's URL (or its name for V8's pseudo-frames and natives).
 * `library` categories are also counted "on the stack"; the event loop's own frames sit under everything.
 */
const CATEGORIES: ReadonlyArray<{ label: string; library: boolean; test: (frame: CallFrame) => boolean }> = [
  { label: 'GC', library: false, test: (frame) => frame.functionName === '(garbage collector)' },
  { label: 'V8 (program)', library: false, test: (frame) => frame.functionName === '(program)' },
  {
    label: 'socket writes (native)',
    library: false,
    test: (frame) => frame.url === '' && /^(writev|writeUtf8String|writeLatin1String|writeBuffer)$/.test(frame.functionName),
  },
  { label: 'openai SDK', library: true, test: (frame) => frame.url.includes('/node_modules/openai/') },
  { label: 'MCP SDK', library: true, test: (frame) => frame.url.includes('/node_modules/@modelcontextprotocol/sdk/') },
  // The SDK's Node Streamable HTTP transport converts each request and response to web standard objects through it.
  { label: '@hono/node-server', library: true, test: (frame) => frame.url.includes('/node_modules/@hono/node-server/') },
  { label: 'zod', library: true, test: (frame) => frame.url.includes('/node_modules/zod/') },
  { label: "fetch (Node's bundled undici)", library: true, test: (frame) => frame.url.startsWith('node:internal/deps/undici') },
  { label: 'undici (package)', library: true, test: (frame) => frame.url.includes('/node_modules/undici/') },
  {
    label: 'web streams',
    library: true,
    // Node 20 marks every ReadableStream transferable when it is built (js_transferable).
    test: (frame) => /^node:internal\/(webstreams|worker\/js_transferable)/.test(frame.url),
  },
  {
    label: 'AbortSignal / EventTarget',
    library: true,
    test: (frame) => /^node:internal\/(abort_controller|event_target)/.test(frame.url),
  },
  {
    label: 'pino logging',
    library: true,
    test: (frame) => /\/node_modules\/(pino|sonic-boom|fast-redact|@pinojs|thread-stream)/.test(frame.url),
  },
  {
    label: 'fastify',
    library: true,
    test: (frame) =>
      /\/node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|toad-cache|fast-querystring|process-warning|rfdc)\//.test(
        frame.url,
      ),
  },
  { label: 'ajv', library: true, test: (frame) => frame.url.includes('/node_modules/ajv') },
  { label: 'gatehouse (dist/)', library: true, test: (frame) => /\/dist\/(src|providers)\//.test(frame.url) },
  { label: 'node core (http, net, streams, timers)', library: false, test: (frame) => frame.url.startsWith('node:') },
  { label: 'other natives (JSON, RegExp, ...)', library: false, test: (frame) => frame.url === '' },
];

const LIBRARY_LABELS = new Set(CATEGORIES.filter((category) => category.library).map((category) => category.label));

const IDLE = '(idle)';

function categoryOf(frame: CallFrame): string {
  return CATEGORIES.find((category) => category.test(frame))?.label ?? 'other';
}

function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const short = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

/** `lastMs` keeps only the samples of the profile's final milliseconds (the load, not start-up or warm-up). */
export function summariseProfile(profile: CpuProfile, lastMs: number, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sampleMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;

  const self = new Map<string, number>();
  const selfCategory = new Map<string, number>();
  const onStack = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [index, id] of profile.samples.entries()) {
    at += profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (!node || at < from) continue;
    if (node.callFrame.functionName === IDLE) {
      idle++;
      continue;
    }
    busy++;
    bump(self, frameLabel(node.callFrame));
    bump(selfCategory, categoryOf(node.callFrame));
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (!frame) continue;
      const category = categoryOf(frame);
      if (LIBRARY_LABELS.has(category)) seen.add(category);
    }
    for (const category of seen) bump(onStack, category);
  }
  const shares = (counts: Map<string, number>, limit: number): Share[] =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([label, count]) => ({ label, percent: (100 * count) / Math.max(1, busy), ms: count * sampleMs }));
  return {
    busyMs: busy * sampleMs,
    idlePercent: (100 * idle) / Math.max(1, idle + busy),
    topSelf: shares(self, top),
    selfByCategory: shares(selfCategory, CATEGORIES.length + 1),
    onStackByCategory: shares(onStack, CATEGORIES.length + 1),
  };
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function renderProfileSummary(title: string, summary: ProfileSummary): string {
  const rows = (shares: Share[]) =>
    shares.map((share) => `  ${share.percent.toFixed(1).padStart(5)}%  ${share.ms.toFixed(0).padStart(6)} ms  ${share.label}`);
  return [
    `${title}: ${summary.busyMs.toFixed(0)} ms busy, ${summary.idlePercent.toFixed(1)}% idle`,
    'Top self time (% of busy samples):',
    ...rows(summary.topSelf),
    'Self time by category:',
    ...rows(summary.selfByCategory),
    'Library on the synchronous stack (inclusive; async continuations lose their callers, so a lower bound):',
    ...rows(summary.onStackByCategory),
  ].join('\n');
}
