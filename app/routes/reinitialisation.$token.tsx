import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { NewPasswordFields, UnusableLink, useSingleUseLinkPage } from "~/components/account-forms";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError } from "~/components/form";
import { account as t } from "~/i18n/account";
import { common } from "~/i18n/common";
import { withConfirmation } from "~/models/account-forms";
import { readPasswordReset, resetPassword, unusableLink, type UnusableReason } from "~/models/accounts.server";
import { parseForm, type FieldErrors } from "~/models/forms";
import { createUserSession } from "~/models/session.server";

export const meta: MetaFunction = () => [{ title: `${t.reset.title} · Terrain` }];

type Unusable = { unusable: Exclude<UnusableReason, "revoked"> };
type LoaderData = Unusable | { unusable: null; name: string };
type ActionData = Unusable | { errors: FieldErrors; formError: string };

export async function loader({ context, params }: LoaderFunctionArgs) {
  const lookup = await readPasswordReset(context.db, params.token ?? "");
  if (!lookup.ok) return unusableLink(lookup.reason);
  return data<LoaderData>({ unusable: null, name: lookup.reset.userName });
}

const ResetSchema = withConfirmation({});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const lookup = await readPasswordReset(context.db, params.token ?? "");
  if (!lookup.ok) return unusableLink(lookup.reason);
  const parsed = parseForm(ResetSchema, await request.formData());
  if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, formError: common.validation.formHasErrors }, { status: 400 });
  if (!(await resetPassword(context.db, lookup.reset, parsed.data.password))) return unusableLink("used");
  return createUserSession(context, lookup.reset.userId, "/etudes");
}

export default function PasswordResetPage() {
  const page = useSingleUseLinkPage<LoaderData>();
  if (page.unusable) return <UnusableLink title={t.reset.unusableTitle} message={t.reset.unusable[page.unusable]} />;
  const { loaded, busy, errors, formError } = page;
  return (
    <section className="card auth-card narrow">
      <h1>{t.reset.title}</h1>
      <p>{t.reset.intro(loaded.name)}</p>
      <Form method="post" noValidate>
        <FormError message={formError} />
        <NewPasswordFields label={t.password.newLabel} errors={errors} />
        <button type="submit" className="button primary" disabled={busy}>
          {t.reset.submit}
        </button>
      </Form>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
