import { readConfig } from "./config";
import { ConfigError } from "./config-error";
import { startServer } from "./app";

try {
  const config = readConfig();
  const running = await startServer(config);
  console.log(`Terrain écoute sur ${running.url} (base : ${config.databasePath})`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration invalide : ${error.message}`);
    process.exit(78);
  }
  throw error;
}
