import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { backupDatabase } from "../backup";
import { openDatabase } from "../client";
import { CliError, configOrFail, runCli } from "./shared";

// npm run db:backup -- <destination> — safe while the server runs (SQLite online backup).
await runCli(async () => {
  const [target] = process.argv.slice(2);
  if (!target) throw new CliError("Usage : npm run db:backup -- <fichier de destination>", 2);
  const destination = resolve(target);
  if (existsSync(destination)) throw new CliError(`${destination} existe déjà : choisissez un autre nom (rien n'est écrasé).`, 2);
  const { databasePath } = configOrFail();
  if (!existsSync(databasePath)) throw new CliError(`Base introuvable : ${databasePath} (vérifiez DATABASE_PATH).`);
  mkdirSync(dirname(destination), { recursive: true });
  const handle = openDatabase(databasePath);
  try {
    const { pages } = await backupDatabase(handle.sqlite, destination);
    console.log(`Sauvegarde écrite : ${destination} (${pages} pages, vérifiée).`);
  } finally {
    await handle.close();
  }
});
