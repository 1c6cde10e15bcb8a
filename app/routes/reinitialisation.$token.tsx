import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextField } from "~/components/form";
import { account as t } from "~/i18n/account";
import { common } from "~/i18n/common";
import { withConfirmation } from "~/models/account-forms";
import { readPasswordReset, resetPassword, type UnusableReason } from "~/models/accounts.server";
import { parseForm, type FieldErrors } from "~/models/forms";
import { createUserSession } from "~/models/session.server";

export const meta: MetaFunction = () => [{ title: `${t.reset.title} · Terrain` }];

type Unusable = { unusable: Exclude<UnusableReason, "revoked"> };
type LoaderData = Unusable | { unusable: null; name: string };
type ActionData = Unusable | { errors: FieldErrors; formError: string };

const unusable = (reason: Unusable["unusable"]) => data<Unusable>({ unusable: reason }, { status: reason === "unknown" ? 404 : 410 });

export async function loader({ context, params }: LoaderFunctionArgs) {
  const lookup = await readPasswordReset(context.db, params.token ?? "");
  if (!lookup.ok) return unusable(lookup.reason);
  return data<LoaderData>({ unusable: null, name: lookup.reset.userName });
}

const ResetSchema = withConfirmation({});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const lookup = await readPasswordReset(context.db, params.token ?? "");
  if (!lookup.ok) return unusable(lookup.reason);
  const parsed = parseForm(ResetSchema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, formError: common.validation.formHasErrors }, { status: 400 });
  if (!(await resetPassword(context.db, lookup.reset, parsed.data.password))) return unusable("used");
  return createUserSession(context, lookup.reset.userId, "/etudes");
}

export default function PasswordResetPage() {
  const loaded = useLoaderData<LoaderData>();
  const result = useActionData<ActionData>();
  const busy = useNavigation().state === "submitting";
  const reason = result && "unusable" in result ? result.unusable : loaded.unusable;
  if (reason || loaded.unusable !== null) {
    return (
      <section className="card auth-card narrow" role="alert">
        <h1>{t.reset.unusableTitle}</h1>
        <p>{t.reset.unusable[reason ?? "unknown"]}</p>
        <p>
          <Link to="/connexion">{t.invitation.toLogin}</Link>
        </p>
      </section>
    );
  }
  const errors: FieldErrors = result && "errors" in result ? result.errors : {};
  return (
    <section className="card auth-card narrow">
      <h1>{t.reset.title}</h1>
      <p>{t.reset.intro(loaded.name)}</p>
      <Form method="post" noValidate>
        <FormError message={result && "formError" in result ? result.formError : null} />
        <TextField name="password" type="password" label={t.password.newLabel} autoComplete="new-password" error={errors.password} required />
        <TextField name="confirmation" type="password" label={t.password.confirmation} autoComplete="new-password" error={errors.confirmation} required />
        <button type="submit" className="button primary" disabled={busy}>
          {t.reset.submit}
        </button>
      </Form>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
