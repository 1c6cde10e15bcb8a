import { Suspense, useEffect, useState, type ReactNode } from "react";

/**
 * Renders `children` only after hydration, `fallback` on the server and during the first render:
 * for lazily loaded browser-only modules (`*.client.tsx`), which the server build leaves empty.
 */
export function ClientOnly({ children, fallback }: { children: () => ReactNode; fallback: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <Suspense fallback={fallback}>{children()}</Suspense> : fallback;
}
