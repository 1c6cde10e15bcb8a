import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DynamicForm } from "~/components/dynamic-form";
import { RouteErrorBoundary } from "~/components/error-page";
import { common } from "~/i18n/common";
import { formatNumber } from "~/i18n/format";
import { dynamics as t } from "~/i18n/dynamics";
import { isUuid, requireStudyRole } from "~/models/access.server";
import { createDynamic, DynamicSchema } from "~/models/dynamics.server";
import { type FormFailure, parseForm } from "~/models/forms";
import { requireUser } from "~/models/session.server";
import { listDynamicDepartments, listDynamics, listDynamicTypes } from "../../db/queries/dynamics";
import { useStudy } from "./etudes.$studyId";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const search = new URL(request.url).searchParams;
  const filters = {
    typeId: isUuid(search.get("type")) ? search.get("type") : null,
    department: search.get("departement")?.trim().toUpperCase() || null,
    territory: search.get("territoire")?.trim().slice(0, 200) || null,
    includeArchived: search.get("archivees") === "1",
  };
  const [dynamics, types, departments] = await Promise.all([
    listDynamics(context.db, study.id, filters),
    listDynamicTypes(context.db, study.id),
    listDynamicDepartments(context.db, study.id),
  ]);
  return { dynamics, types: types.map((type) => ({ id: type.id, label: type.label, archived: type.archived_at !== null })), departments, filters };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "membre");
  const parsed = parseForm(DynamicSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const outcome = await createDynamic(context, study.id, parsed.data);
  if (!outcome.ok) return data({ errors: outcome.errors }, { status: 400 });
  return redirect(`/etudes/${study.id}/dynamiques`);
}

export default function DynamicsList() {
  const { dynamics, types, departments, filters } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormFailure>();
  const { study, canWrite } = useStudy();
  const base = `/etudes/${study.id}`;
  const filtered = Boolean(filters.typeId || filters.department || filters.territory);
  return (
    <>
      <div className="section-head">
        <h2>
          {t.list.title} <span className="count">{formatNumber(dynamics.length)}</span>
        </h2>
        <div className="actions">
          <Link to={`${base}/typologie`}>{t.list.typology}</Link>
          {canWrite ? (
            <a href="#new-dynamic" className="button primary">
              {t.list.create}
            </a>
          ) : null}
        </div>
      </div>

      <Form method="get" className="filters card" aria-label={t.list.filters}>
        <label>
          {t.fields.type}
          <select name="type" defaultValue={filters.typeId ?? ""}>
            <option value="">{t.list.allTypes}</option>
            {types.map((type) => (
              <option key={type.id} value={type.id}>
                {type.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.fields.department}
          <select name="departement" defaultValue={filters.department ?? ""}>
            <option value="">{t.list.allDepartments}</option>
            {departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.fields.territoryFilter}
          <input type="search" name="territoire" defaultValue={filters.territory ?? ""} />
        </label>
        <label className="inline-check">
          <input type="checkbox" name="archivees" value="1" defaultChecked={filters.includeArchived} />
          {t.list.showArchived}
        </label>
        <button type="submit" className="button">
          {common.actions.filter}
        </button>
        <Link to={`${base}/dynamiques`} className="button subtle">
          {t.list.reset}
        </Link>
      </Form>

      {dynamics.length === 0 ? (
        <p className="empty">{filtered ? t.list.empty : t.list.emptyStudy}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>{t.list.columns.name}</th>
              <th>{t.list.columns.type}</th>
              <th>{t.list.columns.territory}</th>
              <th>{t.list.columns.department}</th>
              <th>{t.list.columns.visits}</th>
            </tr>
          </thead>
          <tbody>
            {dynamics.map((d) => (
              <tr key={d.id} className={d.archived_at ? "is-archived" : undefined}>
                <td>
                  <Link to={`${base}/dynamiques/${d.id}`}>{d.name}</Link>
                  {d.archived_at ? <span className="badge archived">{t.list.archived}</span> : null}
                </td>
                <td>{d.type_label}</td>
                <td>{d.territory}</td>
                <td>{d.department}</td>
                <td>{formatNumber(Number(d.meeting_count))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canWrite ? (
        <section className="card form-card" aria-labelledby="new-dynamic">
          <h2 id="new-dynamic">{t.list.create}</h2>
          <DynamicForm intent="create" types={types.filter((type) => !type.archived)} errors={actionData?.errors} submitLabel={common.actions.create} />
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
