import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { LinkNotice } from "~/components/copy-link";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextAreaField, TextField } from "~/components/form";
import { admin as t } from "~/i18n/admin";
import { common } from "~/i18n/common";
import { formatDayRange, formatNumber } from "~/i18n/format";
import { createStudyWithPilot, listStudiesForAdmin, requireAdmin } from "~/models/admin.server";
import { email, optionalIsoDay, optionalText, parseForm, requiredText, type FieldErrors } from "~/models/forms";
import { absoluteLink, invitationPath } from "~/models/tokens.server";

export const meta: MetaFunction = () => [{ title: `${t.title} · Terrain` }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return { studies: await listStudiesForAdmin(context.db) };
}

const NewStudySchema = z
  .object({
    title: requiredText(200),
    summary: optionalText(2000),
    startsOn: optionalIsoDay,
    endsOn: optionalIsoDay,
    pilotEmail: email,
    pilotName: requiredText(120),
  })
  .refine((s) => !s.startsOn || !s.endsOn || s.startsOn <= s.endsOn, {
    message: common.validation.datesOutOfOrder,
    path: ["endsOn"],
  });

interface ActionReply {
  errors: FieldErrors;
  formError: string | null;
  notice: string | null;
  link: string | null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const parsed = parseForm(NewStudySchema, await request.formData());
  if (!parsed.ok) {
    return data<ActionReply>({ errors: parsed.errors, formError: common.validation.formHasErrors, notice: null, link: null }, { status: 400 });
  }
  const input = parsed.data;
  const created = await createStudyWithPilot(context.db, user.id, input);
  const { pilot } = created;
  return data<ActionReply>({
    errors: {},
    formError: null,
    notice: pilot.kind === "member" ? t.done.pilotAdded(input.title, pilot.name) : t.done.pilotInvited(input.title, pilot.email),
    link: pilot.kind === "invited" ? absoluteLink(request, invitationPath(pilot.token)) : null,
  });
}

export default function AdminPage() {
  const { studies } = useLoaderData<typeof loader>();
  const result = useActionData<ActionReply>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const form = useRef<HTMLFormElement>(null);
  // Once the study exists, the form empties for the next one.
  useEffect(() => {
    if (result?.notice) form.current?.reset();
  }, [result]);
  return (
    <>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <LinkNotice notice={result?.notice} link={result?.link} labels={t} />

      <section aria-labelledby="studies-title">
        <h2 id="studies-title">{t.list.title}</h2>
        {studies.length === 0 ? (
          <p className="empty">{t.list.empty}</p>
        ) : (
          <table className="data admin-studies">
            <thead>
              <tr>
                <th scope="col">{t.list.study}</th>
                <th scope="col">{t.list.dates}</th>
                <th scope="col">{t.list.pilots}</th>
                <th scope="col">{t.list.members}</th>
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => (
                <tr key={s.id}>
                  <td>{s.title}</td>
                  <td>{formatDayRange(s.startsOn, s.endsOn)}</td>
                  <td>{s.pilots.length > 0 ? s.pilots.join(", ") : <span className="muted">{t.list.noPilot}</span>}</td>
                  <td>{formatNumber(s.memberCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card admin-create" aria-labelledby="create-title">
        <h2 id="create-title">{t.create.title}</h2>
        <p className="field-hint">{t.create.startingPoint}</p>
        <Form method="post" noValidate ref={form}>
          <FormError message={result?.formError} />
          <TextField name="title" label={t.create.studyTitle} error={errors.title} required />
          <TextAreaField name="summary" label={t.create.summary} error={errors.summary} />
          <TextField name="startsOn" type="date" label={t.create.startsOn} error={errors.startsOn} />
          <TextField name="endsOn" type="date" label={t.create.endsOn} error={errors.endsOn} />
          <TextField name="pilotEmail" type="email" label={t.create.pilotEmail} error={errors.pilotEmail} required />
          <TextField name="pilotName" label={t.create.pilotName} hint={t.create.pilotNameHint} error={errors.pilotName} required />
          <button type="submit" className="button primary" disabled={busy}>
            {t.create.submit}
          </button>
        </Form>
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
