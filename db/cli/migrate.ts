import { openDatabase } from "../client";
import { migrateToLatest } from "../migrate";
import { configOrFail, runCli } from "./shared";

// npm run db:migrate — the server also migrates at start; this lets a deployment do it first.
await runCli(async () => {
  const { databasePath } = configOrFail();
  const handle = openDatabase(databasePath);
  try {
    await migrateToLatest(handle.db);
    console.log(`Base à jour : ${databasePath}`);
  } finally {
    await handle.close();
  }
});
