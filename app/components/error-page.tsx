import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { common } from "../i18n/common";

/** The French 403/404/500 page, shared by every route's ErrorBoundary. */
export function ErrorPage({ error }: { error: unknown }) {
  const e = common.errors;
  let title: string = e.serverTitle;
  let text: string = e.serverText;
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) [title, text] = [e.notFoundTitle, e.notFoundText];
    else if (error.status === 403) [title, text] = [e.forbiddenTitle, e.forbiddenText];
    else if (error.status === 400) [title, text] = [e.badRequestTitle, typeof error.data === "string" ? error.data : text];
  }
  return (
    <section className="error-page" role="alert">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/etudes">{e.backHome}</Link>
      </p>
    </section>
  );
}

/** Every route exports this as its ErrorBoundary. */
export function RouteErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
