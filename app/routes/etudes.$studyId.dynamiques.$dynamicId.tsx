import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DynamicForm } from "~/components/dynamic-form";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError } from "~/components/form";
import { MeetingLines } from "~/components/meetings";
import { common } from "~/i18n/common";
import { dynamics as t } from "~/i18n/dynamics";
import { requireStudyRole } from "~/models/access.server";
import { DynamicSchema, editDynamic, removeDynamic, requireDynamic, setDynamicArchived } from "~/models/dynamics.server";
import { type FormFailure, parseForm } from "~/models/forms";
import { requireUser } from "~/models/session.server";
import { isDynamicLinked, listDynamicTypes } from "../../db/queries/dynamics";
import { listMeetingsOfDynamic } from "../../db/queries/meetings";
import { useStudy } from "./etudes.$studyId";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const dynamic = await requireDynamic(context, study.id, params.dynamicId);
  const [types, meetings, linked] = await Promise.all([
    listDynamicTypes(context.db, study.id),
    listMeetingsOfDynamic(context.db, study.id, dynamic.id),
    isDynamicLinked(context.db, dynamic.id),
  ]);
  return {
    dynamic,
    typeLabel: types.find((type) => type.id === dynamic.type_id)?.label ?? "",
    types: types.filter((type) => type.archived_at === null || type.id === dynamic.type_id).map((type) => ({ id: type.id, label: type.label })),
    meetings,
    linked,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "membre");
  const dynamic = await requireDynamic(context, study.id, params.dynamicId);
  const form = await request.formData();
  const here = `/etudes/${study.id}/dynamiques/${dynamic.id}`;
  switch (form.get("intent")) {
    case "update": {
      const parsed = parseForm(DynamicSchema, form);
      if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
      const outcome = await editDynamic(context, study.id, dynamic.id, parsed.data);
      if (!outcome.ok) return data({ errors: outcome.errors }, { status: 400 });
      return redirect(here);
    }
    case "archive":
    case "unarchive":
      await setDynamicArchived(context, study.id, dynamic.id, form.get("intent") === "archive");
      return redirect(here);
    case "delete": {
      const outcome = await removeDynamic(context, study.id, dynamic.id);
      if (!outcome.ok) return data({ errors: outcome.errors }, { status: 400 });
      return redirect(`/etudes/${study.id}/dynamiques`);
    }
    default:
      throw new Response(common.validation.invalidChoice, { status: 400 });
  }
}

export default function DynamicPage() {
  const { dynamic, typeLabel, types, meetings, linked } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormFailure>();
  const { study, canWrite } = useStudy();
  const archived = dynamic.archived_at !== null;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/etudes/${study.id}/dynamiques`}>← {t.detail.back}</Link>
      </p>
      <div className="section-head">
        <h2>
          {dynamic.name} {archived ? <span className="badge archived">{t.list.archived}</span> : null}
        </h2>
        {canWrite ? (
          <div className="actions">
            <Form method="post">
              <input type="hidden" name="intent" value={archived ? "unarchive" : "archive"} />
              <button type="submit" className="button">
                {archived ? t.detail.unarchive : t.detail.archive}
              </button>
            </Form>
            {linked ? null : (
              <Form
                method="post"
                onSubmit={(event) => {
                  if (!window.confirm(t.detail.deleteConfirm)) event.preventDefault();
                }}
              >
                <input type="hidden" name="intent" value="delete" />
                <button type="submit" className="button danger">
                  {t.detail.delete}
                </button>
              </Form>
            )}
          </div>
        ) : null}
      </div>
      <FormError message={actionData?.errors._form} />
      {archived ? <p className="notice">{t.detail.archivedNotice}</p> : null}

      <div className="detail-grid">
        <section className="card">
          <dl className="facts">
            <dt>{t.fields.type}</dt>
            <dd>{typeLabel}</dd>
            <dt>{t.fields.territory}</dt>
            <dd>{[dynamic.territory, dynamic.department].filter(Boolean).join(" · ") || "—"}</dd>
            <dt>{t.fields.website}</dt>
            <dd>
              {dynamic.website ? (
                <a href={dynamic.website} rel="noreferrer noopener" target="_blank">
                  {dynamic.website}
                </a>
              ) : (
                "—"
              )}
            </dd>
          </dl>
          <p>{dynamic.description || <span className="empty">{t.detail.noDescription}</span>}</p>
        </section>
        <section className="card" aria-labelledby="dynamic-meetings">
          <h2 id="dynamic-meetings">{t.detail.meetings}</h2>
          <MeetingLines studyId={study.id} meetings={meetings} emptyText={t.detail.noMeetings} />
          {canWrite && linked ? <p className="field-hint">{t.detail.linkedOnlyArchive}</p> : null}
        </section>
      </div>

      {canWrite ? (
        <section className="card form-card" aria-labelledby="edit-dynamic">
          <h2 id="edit-dynamic">{t.detail.edit}</h2>
          <DynamicForm intent="update" types={types} values={dynamic} errors={actionData?.errors} submitLabel={common.actions.save} />
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
