import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { NewPasswordFields } from "~/components/account-forms";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextField } from "~/components/form";
import { account as t } from "~/i18n/account";
import { common } from "~/i18n/common";
import { withConfirmation } from "~/models/account-forms";
import { changePassword, updateProfile } from "~/models/accounts.server";
import { color, parseForm, requiredText, type FieldErrors } from "~/models/forms";
import { requireUser } from "~/models/session.server";

export const meta: MetaFunction = () => [{ title: `${t.profile.title} · Terrain` }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { name: user.name, email: user.email, color: user.color };
}

const ProfileSchema = z.object({ name: requiredText(120), color });
const PasswordSchema = withConfirmation({ current: z.string().min(1, common.validation.required).max(1000, t.password.wrongCurrent) });

interface ActionReply {
  intent: "profile" | "password";
  errors: FieldErrors;
  notice: string | null;
}
const reply = (intent: ActionReply["intent"], values: { errors?: FieldErrors; notice?: string }, status = 200) =>
  data<ActionReply>({ intent, errors: values.errors ?? {}, notice: values.notice ?? null }, { status });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  if (form.get("intent") === "password") {
    const parsed = parseForm(PasswordSchema, form);
    if (!parsed.ok) return reply("password", { errors: parsed.errors }, 400);
    if (!(await changePassword(context.db, user, parsed.data.current, parsed.data.password))) {
      return reply("password", { errors: { current: t.password.wrongCurrent } }, 400);
    }
    return reply("password", { notice: t.profile.passwordSaved });
  }
  const parsed = parseForm(ProfileSchema, form);
  if (!parsed.ok) return reply("profile", { errors: parsed.errors }, 400);
  await updateProfile(context.db, user.id, parsed.data);
  return reply("profile", { notice: t.profile.profileSaved });
}

export default function ProfilePage() {
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<ActionReply>();
  const busy = useNavigation().state === "submitting";
  const profileResult = result?.intent === "profile" ? result : null;
  const passwordResult = result?.intent === "password" ? result : null;
  const passwordForm = useRef<HTMLFormElement>(null);
  // A changed password must not stay typed in the page.
  useEffect(() => {
    if (passwordResult?.notice) passwordForm.current?.reset();
  }, [passwordResult]);
  return (
    <>
      <h1>{t.profile.title}</h1>
      <div className="profile-grid">
        <section className="card" aria-labelledby="identity-title">
          <h2 id="identity-title">{t.profile.identity}</h2>
          {profileResult?.notice ? (
            <p className="flash" role="status">
              {profileResult.notice}
            </p>
          ) : null}
          <FormError message={profileResult && !profileResult.notice ? common.validation.formHasErrors : null} />
          <p className="muted">
            {t.profile.email} : <strong>{profile.email}</strong>
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="profile" />
            <TextField name="name" label={t.profile.name} defaultValue={profile.name} autoComplete="name" error={profileResult?.errors.name} required />
            <TextField
              name="color"
              type="color"
              label={t.profile.color}
              defaultValue={profile.color}
              hint={t.profile.colorHint}
              error={profileResult?.errors.color}
            />
            <button type="submit" className="button primary" disabled={busy}>
              {t.profile.saveProfile}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">{t.profile.passwordTitle}</h2>
          <p className="field-hint">{t.profile.passwordHint}</p>
          {passwordResult?.notice ? (
            <p className="flash" role="status">
              {passwordResult.notice}
            </p>
          ) : null}
          <Form method="post" noValidate ref={passwordForm}>
            <input type="hidden" name="intent" value="password" />
            <TextField name="current" type="password" label={t.password.current} autoComplete="current-password" error={passwordResult?.errors.current} required />
            <NewPasswordFields label={t.password.newLabel} errors={passwordResult?.errors ?? {}} />
            <button type="submit" className="button primary" disabled={busy}>
              {t.profile.savePassword}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
