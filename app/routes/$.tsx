import { RouteErrorBoundary } from "~/components/error-page";

// Any URL no route claims: the French 404 page, without Remix logging it as a server error.
export function loader(): never {
  throw new Response("Introuvable", { status: 404 });
}

export default function NotFound() {
  return null;
}

export { RouteErrorBoundary as ErrorBoundary };
