import { createInterface } from "node:readline";
import { z } from "zod";
import { newPassword, PASSWORD_MIN_LENGTH } from "../../app/models/account-forms";
import { DEFAULT_USER_COLOR } from "../../app/models/accounts.server";
import { email as emailSchema, requiredText } from "../../app/models/forms";
import { hashPassword } from "../../app/models/password.server";
import { openDatabase } from "../client";
import { migrateToLatest } from "../migrate";
import { findUserByEmail, insertUser, normalizeEmail, updateUser } from "../queries/users";
import { CliError, configOrFail, runCli } from "./shared";

const USAGE = "Usage : npm run user:create-admin -- <adresse e-mail> <nom>\n(mot de passe : variable TERRAIN_ADMIN_PASSWORD, sinon lu sur l'entrée standard)";

const Args = z.object({ email: emailSchema, name: requiredText(120) });

/** TERRAIN_ADMIN_PASSWORD, else a hidden prompt on a terminal, else the first line of stdin (scripts). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.TERRAIN_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return promptHidden(`Mot de passe (au moins ${PASSWORD_MIN_LENGTH} caractères) : `);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return "";
}

function promptHidden(question: string): Promise<string> {
  return new Promise((done, fail) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let typed = "";
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          stop();
          return done(typed);
        }
        if (char === "\u0003") {
          stop();
          return fail(new CliError("Abandon.", 130));
        }
        typed = char === "\u007f" || char === "\b" ? typed.slice(0, -1) : typed + char;
      }
    };
    const stop = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
    };
    stdin.on("data", onData);
  });
}

await runCli(async () => {
  const [rawEmail, ...nameParts] = process.argv.slice(2);
  const args = Args.safeParse({ email: rawEmail ?? "", name: nameParts.join(" ") });
  if (!args.success) {
    const issue = args.error.issues[0]!;
    throw new CliError(`${issue.path[0] === "email" ? "Adresse e-mail" : "Nom"} : ${issue.message}\n${USAGE}`, 2);
  }
  const { email, name } = args.data;
  const { databasePath } = configOrFail();
  const handle = openDatabase(databasePath);
  try {
    await migrateToLatest(handle.db);
    const existing = await findUserByEmail(handle.db, email);
    if (existing?.password_hash) {
      await updateUser(handle.db, existing.id, { is_admin: 1 });
      console.log(`Le compte existant ${existing.email} (${existing.name}) est maintenant administrateur ; son mot de passe est inchangé.`);
      return;
    }
    const password = newPassword.safeParse(await readPassword());
    if (!password.success) throw new CliError(`Mot de passe refusé : ${password.error.issues[0]!.message}`, 2);
    const passwordHash = await hashPassword(password.data);
    if (existing) {
      await updateUser(handle.db, existing.id, { name, password_hash: passwordHash, is_admin: 1 });
    } else {
      await insertUser(handle.db, { email, name, color: DEFAULT_USER_COLOR, password_hash: passwordHash, is_admin: 1 });
    }
    console.log(`Administrateur ${normalizeEmail(email)} (${name}) créé. Il peut se connecter à Terrain.`);
  } finally {
    await handle.close();
  }
});
