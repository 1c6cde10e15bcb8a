import type { AppLoadContext } from "@remix-run/node";
import { clearLoginFailures, countRecentLoginFailures, recordLoginFailure } from "../../db/queries/login-failures";
import { findUserByEmail } from "../../db/queries/users";
import { verifyPassword } from "./password.server";

/** After this many failures for one address within the window, logins for it wait. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export type LoginResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "throttled" };

export async function attemptLogin(context: AppLoadContext, email: string, password: string): Promise<LoginResult> {
  const since = new Date(Date.now() - LOGIN_FAILURE_WINDOW_MS);
  if ((await countRecentLoginFailures(context.db, email, since)) >= LOGIN_MAX_FAILURES) {
    return { ok: false, reason: "throttled" };
  }
  const user = await findUserByEmail(context.db, email);
  if (!user || !(await verifyPassword(user.password_hash, password))) {
    await recordLoginFailure(context.db, email);
    return { ok: false, reason: "invalid" };
  }
  await clearLoginFailures(context.db, email);
  return { ok: true, userId: user.id };
}
