import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import "../app/load-context";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { countUsers } from "../db/queries/users";
import { createCollabHub, type CollabHub } from "./collab/hub";
import { loadDemo } from "./demo";
import type { Config } from "./config";
import { securityHeaders, rejectCrossOriginWrites } from "./http-guards";

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  database: DatabaseHandle;
  collab: CollabHub;
  close(): Promise<void>;
}

const buildPath = resolve("build/index.js");

async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(buildPath).href)) as ServerBuild;
}

/** Opens the database, migrates, loads the demo when asked, and serves pages and the websocket. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = openDatabase(config.databasePath);
  await migrateToLatest(database.db);
  if (config.loadDemo && (await countUsers(database.db)) === 0) {
    await loadDemo(database.db);
  }

  const collab = createCollabHub(database, {
    session: { sessionSecret: config.sessionSecret, production: config.production },
    limits: config.collabLimits,
  });
  const context: AppLoadContext = {
    db: database.db,
    config: { sessionSecret: config.sessionSecret, production: config.production },
    collab,
  };

  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders);
  app.get("/healthz", async (_req, res) => {
    try {
      await database.db.selectFrom("studies").select("id").limit(1).execute();
      res.status(200).type("text/plain").send("ok");
    } catch {
      res.status(503).type("text/plain").send("base de données injoignable");
    }
  });
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.use(rejectCrossOriginWrites);
  app.all(
    "*",
    createRequestHandler({
      build: await loadBuild(),
      mode: config.production ? "production" : "development",
      getLoadContext: () => context,
    }),
  );

  const server = createServer(app);
  server.on("upgrade", (request, socket, head) => collab.handleUpgrade(request, socket, head));
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(config.port, config.host, () => done());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    url: `http://${config.host}:${port}`,
    database,
    collab,
    async close() {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await database.close();
    },
  };
}
