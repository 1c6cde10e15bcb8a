import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { RouteErrorBoundary } from "./components/error-page";
import { LogoutForm } from "./components/logout-form";
import { common } from "./i18n/common";
import { getUser } from "./models/session.server";
import styles from "./styles/app.css";
import printStyles from "./styles/print.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: printStyles, media: "print" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: common.appName }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return {
    user: user ? { id: user.id, name: user.name, color: user.color, isAdmin: user.is_admin === 1 } : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="topbar">
          <Link to={user ? "/etudes" : "/connexion"} className="brand">
            {common.appName}
          </Link>
          {user ? (
            <nav className="topbar-nav" aria-label="Navigation principale">
              <Link to="/etudes">{common.nav.studies}</Link>
              {user.isAdmin ? <Link to="/admin">{common.nav.admin}</Link> : null}
              <Link to="/profil" className="user-chip">
                <span className="avatar" style={{ background: user.color }} aria-hidden="true">
                  {user.name.slice(0, 1).toUpperCase()}
                </span>
                {user.name}
              </Link>
              <LogoutForm label={common.nav.logout} />
            </nav>
          ) : null}
        </header>
        <main className="page">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export { RouteErrorBoundary as ErrorBoundary };
