import { ConfigError } from "../config-error";

/** Every limit of the collaboration server, with its default and why. Overridable by env. */
export interface CollabLimits {
  maxMessageBytes: number;
  maxConnectionsPerDocument: number;
  maxConnectionsPerUser: number;
  idleTimeoutMs: number;
  compactionThreshold: number;
  unloadDelayMs: number;
  deriveDebounceMs: number;
  autoVersionIntervalMs: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
  // 8 MiB: a pasted report with a few inline tables stays well under it, while one client cannot
  // make the server buffer arbitrarily large frames. `ws` closes bigger frames itself with 1009.
  maxMessageBytes: 8 * 1024 * 1024,
  // 256: a seminar with everyone in one document is tens of people; the benchmark puts 200 in one.
  // Every update fans out to every connection, so this bounds the cost of one keystroke.
  maxConnectionsPerDocument: 256,
  // 256: a person has a few tabs, but scripted clients (benchmarks, tests) may share one account;
  // still bounded so one leaked cookie cannot exhaust the server's sockets and memory.
  maxConnectionsPerUser: 256,
  // 60 s: browsers answer pings even in background tabs; a socket silent for a minute is a dead
  // network path (laptop lid closed) that would otherwise hold its awareness and memory forever.
  idleTimeoutMs: 60_000,
  // 500 rows: loading replays every row; a few hundred small updates load in milliseconds, and
  // compacting from the loaded Y.Doc costs one encodeStateAsUpdate regardless of the row count.
  compactionThreshold: 500,
  // 30 s: a page reload or a flaky network reconnects within seconds; keeping the Y.Doc that long
  // avoids a reload from SQLite, while an abandoned document gives its memory back soon.
  unloadDelayMs: 30_000,
  // 5 s: the longest a document's derived text (search, lists) lags behind its content, and the
  // shortest interval between two derives of it. Each derive is a ProseMirror conversion of a copy
  // plus SQLite writes (full-text index included): at 2 s, 200 busy documents spent more time in
  // derives than in storing and relaying their updates (benchmark docs-200x2 profile).
  deriveDebounceMs: 5_000,
  // 10 min: an automatic version per ten minutes of activity gives a useful undo point after a
  // bad afternoon without flooding the version list.
  autoVersionIntervalMs: 10 * 60_000,
};

const ENV_NAMES: Record<keyof CollabLimits, string> = {
  maxMessageBytes: "TERRAIN_COLLAB_MAX_MESSAGE_BYTES",
  maxConnectionsPerDocument: "TERRAIN_COLLAB_MAX_CONNECTIONS_PER_DOCUMENT",
  maxConnectionsPerUser: "TERRAIN_COLLAB_MAX_CONNECTIONS_PER_USER",
  idleTimeoutMs: "TERRAIN_COLLAB_IDLE_TIMEOUT_MS",
  compactionThreshold: "TERRAIN_COLLAB_COMPACTION_THRESHOLD",
  unloadDelayMs: "TERRAIN_COLLAB_UNLOAD_DELAY_MS",
  deriveDebounceMs: "TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS",
  autoVersionIntervalMs: "TERRAIN_COLLAB_AUTO_VERSION_INTERVAL_MS",
};

/** Reads the limits from the environment; a value that is not a non-negative integer is an error. */
export function readCollabLimits(env: Record<string, string | undefined>): CollabLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as (keyof CollabLimits)[]) {
    const raw = env[ENV_NAMES[key]];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new ConfigError(`${ENV_NAMES[key]} doit être un entier positif, reçu « ${raw} ».`);
    }
    limits[key] = value;
  }
  return limits;
}
