import { resolve } from "node:path";
import { readCollabLimits, type CollabLimits } from "./collab/limits";
import { ConfigError } from "./config-error";

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  sessionSecret: string;
  production: boolean;
  /** Load the demo study into an empty database. */
  loadDemo: boolean;
  collabLimits: CollabLimits;
}

const DEV_SESSION_SECRET = "terrain-dev-secret-not-for-production";

/** Reads the environment once, at start, and fails with a clear message rather than later. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const production = env.NODE_ENV === "production";
  const port = env.PORT === undefined || env.PORT === "" ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT doit être un numéro de port (0–65535), reçu « ${env.PORT} ».`);
  }
  const sessionSecret = env.SESSION_SECRET ?? "";
  if (production && sessionSecret.length < 32) {
    throw new ConfigError(
      "SESSION_SECRET est obligatoire en production (au moins 32 caractères aléatoires, par exemple `openssl rand -hex 32`).",
    );
  }
  const demo = env.TERRAIN_DEMO;
  if (demo !== undefined && demo !== "" && demo !== "0" && demo !== "1") {
    throw new ConfigError(`TERRAIN_DEMO vaut 1 (charger la démo) ou 0 (jamais), reçu « ${demo} ».`);
  }
  return {
    port,
    host: env.HOST || "127.0.0.1",
    databasePath: resolve(env.DATABASE_PATH || "./data/terrain.sqlite"),
    sessionSecret: sessionSecret || DEV_SESSION_SECRET,
    production,
    loadDemo: demo === "1" || (demo !== "0" && !production),
    collabLimits: readCollabLimits(env),
  };
}
