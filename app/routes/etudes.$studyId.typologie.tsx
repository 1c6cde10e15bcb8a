import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextAreaField, TextField } from "~/components/form";
import { IntentButton } from "~/components/intent-button";
import { common } from "~/i18n/common";
import { dynamics as d } from "~/i18n/dynamics";
import { isUuid, requireStudyRole } from "~/models/access.server";
import {
  addDynamicType,
  DynamicTypeSchema,
  editDynamicType,
  moveDynamicType,
  removeDynamicType,
  setDynamicTypeArchived,
} from "~/models/dynamics.server";
import { type FieldErrors, parseForm } from "~/models/forms";
import { requireUser } from "~/models/session.server";
import { listDynamicTypesWithUsage } from "../../db/queries/dynamics";
import { useStudy } from "./etudes.$studyId";

const t = d.typology;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const types = await listDynamicTypesWithUsage(context.db, study.id);
  return { types: types.map((type) => ({ ...type, usage: Number(type.usage) })) };
}

/** Field errors are tagged with the type they concern (or "new"), so only that form shows them. */
const failed = (target: string, errors: FieldErrors) => data({ target, errors }, { status: 400 });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "pilote");
  const form = await request.formData();
  const here = `/etudes/${study.id}/typologie`;
  const intent = form.get("intent");
  if (intent === "create") {
    const parsed = parseForm(DynamicTypeSchema, form);
    if (!parsed.ok) return failed("new", parsed.errors);
    const outcome = await addDynamicType(context, study.id, parsed.data);
    return outcome.ok ? redirect(here) : failed("new", outcome.errors);
  }
  const typeId = String(form.get("typeId") ?? "");
  if (!isUuid(typeId)) return failed(typeId, { _form: common.validation.unknownItem });
  let outcome;
  switch (intent) {
    case "update": {
      const parsed = parseForm(DynamicTypeSchema, form);
      if (!parsed.ok) return failed(typeId, parsed.errors);
      outcome = await editDynamicType(context, study.id, typeId, parsed.data);
      break;
    }
    case "up":
    case "down":
      outcome = await moveDynamicType(context, study.id, typeId, intent);
      break;
    case "archive":
    case "unarchive":
      outcome = await setDynamicTypeArchived(context, study.id, typeId, intent === "archive");
      break;
    case "delete":
      outcome = await removeDynamicType(context, study.id, typeId);
      break;
    default:
      throw new Response(common.validation.invalidChoice, { status: 400 });
  }
  return outcome.ok ? redirect(here) : failed(typeId, outcome.errors);
}

export default function Typology() {
  const { types } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ target: string; errors: FieldErrors }>();
  const { study, isPilot } = useStudy();
  const errorsFor = (target: string) => (actionData?.target === target ? actionData.errors : undefined);
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/etudes/${study.id}/dynamiques`}>← {t.back}</Link>
      </p>
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      <FormError message={actionData?.errors._form} />
      {types.length === 0 ? <p className="empty">{t.empty}</p> : null}
      <ol className="type-list">
        {types.map((type, index) => {
          const errors = errorsFor(type.id);
          return (
            <li key={type.id} className={type.archived_at ? "card type-item is-archived" : "card type-item"}>
              <div className="type-summary">
                <h3>
                  {type.label} {type.archived_at ? <span className="badge archived">{t.archived}</span> : null}
                </h3>
                <span className="muted">{type.usage > 0 ? t.used(type.usage) : t.unused}</span>
              </div>
              {isPilot ? (
                <>
                  <Form method="post" noValidate className="type-edit">
                    <input type="hidden" name="typeId" value={type.id} />
                    <TextField name="label" label={t.label} defaultValue={type.label} error={errors?.label} maxLength={200} />
                    <TextAreaField name="definition" label={t.definition} defaultValue={type.definition} error={errors?.definition} maxLength={2000} rows={2} />
                    <button type="submit" name="intent" value="update" className="button">
                      {common.actions.save}
                    </button>
                  </Form>
                  <div className="actions">
                    <IntentButton hidden={{ typeId: type.id }} intent="up" label={t.moveUp} disabled={index === 0} />
                    <IntentButton hidden={{ typeId: type.id }} intent="down" label={t.moveDown} disabled={index === types.length - 1} />
                    <IntentButton hidden={{ typeId: type.id }} intent={type.archived_at ? "unarchive" : "archive"} label={type.archived_at ? t.unarchive : t.archive} />
                    {type.usage === 0 ? <IntentButton hidden={{ typeId: type.id }} intent="delete" label={t.delete} className="button danger" /> : null}
                  </div>
                </>
              ) : type.definition ? (
                <p>{type.definition}</p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {isPilot ? (
        <section className="card form-card" aria-labelledby="new-type">
          <h2 id="new-type">{t.add}</h2>
          <Form method="post" noValidate>
            <TextField name="label" label={t.label} error={errorsFor("new")?.label} maxLength={200} />
            <TextAreaField name="definition" label={t.definition} error={errorsFor("new")?.definition} maxLength={2000} rows={2} />
            <button type="submit" name="intent" value="create" className="button primary">
              {t.add}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
