import type { NextFunction, Request, Response } from "express";

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  next();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * SameSite=Lax already keeps the session cookie off cross-site POSTs in current browsers; this
 * refuses them outright when the browser says where the form came from.
 */
export function rejectCrossOriginWrites(req: Request, res: Response, next: NextFunction) {
  const origin = req.headers.origin;
  if (SAFE_METHODS.has(req.method) || !origin || origin === "null") return next();
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== req.headers.host) {
    res.status(403).type("text/plain").send("Requête refusée : origine non autorisée.");
    return;
  }
  next();
}
