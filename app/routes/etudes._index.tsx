import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { common } from "~/i18n/common";
import { formatDayRange } from "~/i18n/format";
import { studies as t } from "~/i18n/studies";
import { requireUser } from "~/models/session.server";
import { listStudiesOfUser } from "../../db/queries/studies";

export const meta: MetaFunction = () => [{ title: `${t.list.title} · Terrain` }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { studies: await listStudiesOfUser(context.db, user.id) };
}

export default function StudyList() {
  const { studies } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t.list.title}</h1>
      {studies.length === 0 ? (
        <p className="empty">{t.list.empty}</p>
      ) : (
        <ul className="card-list">
          {studies.map((s) => (
            <li key={s.id} className="card">
              <h2>
                <Link to={`/etudes/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="muted">
                {formatDayRange(s.starts_on, s.ends_on)} · {t.list.role} : {common.roles[s.role]}
              </p>
              {s.summary ? <p>{s.summary}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
