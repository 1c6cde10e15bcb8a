import { createHash, randomBytes } from "node:crypto";

/** Links carry 32 random bytes; the database keeps only their sha256, so a leaked copy opens nothing. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** There is no mail server: the page shows the full link for the pilot or admin to pass on. */
export function absoluteLink(request: Request, path: string): string {
  return new URL(path, new URL(request.url).origin).href;
}

export const invitationPath = (token: string) => `/invitation/${token}`;
export const passwordResetPath = (token: string) => `/reinitialisation/${token}`;

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
export const PASSWORD_RESET_TTL_MS = 24 * 3600 * 1000;
