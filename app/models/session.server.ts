import { createCookie, redirect, type AppLoadContext } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { deleteSession, findSessionUser, insertSession } from "../../db/queries/sessions";

const SESSION_DAYS = 30;

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

/** Also read by the collaboration endpoint, which authenticates the websocket upgrade with it. */
export function sessionCookie(config: { sessionSecret: string; production: boolean }) {
  return createCookie("terrain_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: config.production,
    path: "/",
    maxAge: SESSION_DAYS * 24 * 3600,
    secrets: [config.sessionSecret],
  });
}

async function readSessionId(request: Request, context: AppLoadContext): Promise<string | null> {
  const value: unknown = await sessionCookie(context.config).parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

/** The signed-in user, or null when there is no valid, unexpired session (or its user is gone). */
export async function getUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  const sessionId = await readSessionId(request, context);
  if (!sessionId) return null;
  return (await findSessionUser(context.db, sessionId)) ?? null;
}

function safeRedirectTarget(target: FormDataEntryValue | string | null | undefined, fallback = "/etudes"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) return fallback;
  return target;
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/connexion?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export async function createUserSession(
  context: AppLoadContext,
  userId: string,
  redirectTo: FormDataEntryValue | string | null | undefined,
) {
  const id = randomBytes(32).toString("base64url");
  await insertSession(context.db, { id, userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000) });
  return redirect(safeRedirectTarget(redirectTo), {
    headers: { "Set-Cookie": await sessionCookie(context.config).serialize(id) },
  });
}

export async function destroyUserSession(request: Request, context: AppLoadContext) {
  const sessionId = await readSessionId(request, context);
  if (sessionId) await deleteSession(context.db, sessionId);
  return redirect("/connexion", {
    headers: { "Set-Cookie": await sessionCookie(context.config).serialize("", { maxAge: 0 }) },
  });
}

export { safeRedirectTarget };
