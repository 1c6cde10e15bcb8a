import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { z } from "zod";
import { NewPasswordFields, UnusableLink, useSingleUseLinkPage } from "~/components/account-forms";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextField } from "~/components/form";
import { account as t } from "~/i18n/account";
import { common } from "~/i18n/common";
import { withConfirmation } from "~/models/account-forms";
import {
  acceptInvitationAsUser,
  acceptInvitationWithNewAccount,
  readInvitation,
  unusableLink,
  type UnusableReason,
} from "~/models/accounts.server";
import { parseForm, requiredText, type FieldErrors } from "~/models/forms";
import { attemptLogin } from "~/models/login.server";
import { createUserSession, getUser } from "~/models/session.server";
import type { Role } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: `${t.invitation.title} · Terrain` }];

type Unusable = { unusable: UnusableReason };
type LoaderData =
  | Unusable
  | {
      unusable: null;
      studyTitle: string;
      role: Role;
      email: string;
      hasAccount: boolean;
      suggestedName: string;
      signedInAs: string | null;
    };
type ActionData = Unusable | { errors: FieldErrors; formError: string | null };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const lookup = await readInvitation(context.db, params.token ?? "");
  if (!lookup.ok) return unusableLink(lookup.reason);
  const user = await getUser(request, context);
  const { invitation, account } = lookup;
  return data<LoaderData>({
    unusable: null,
    studyTitle: invitation.study_title,
    role: invitation.role,
    email: invitation.email,
    hasAccount: account !== null,
    suggestedName: lookup.suggestedName,
    /** Already signed in as the invited account: one click joins. */
    signedInAs: user && account && user.id === account.id ? user.name : null,
  });
}

const NewAccountSchema = withConfirmation({ name: requiredText(120) });
const ExistingAccountSchema = z.object({ password: z.string().min(1, common.validation.required).max(1000, t.invitation.wrongPassword) });

const formFailure = (errors: FieldErrors, formError: string | null = null) => data<ActionData>({ errors, formError }, { status: 400 });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const lookup = await readInvitation(context.db, params.token ?? "");
  if (!lookup.ok) return unusableLink(lookup.reason);
  const { invitation, account } = lookup;
  const studyPath = `/etudes/${invitation.study_id}`;
  const form = await request.formData();

  if (!account) {
    const parsed = parseForm(NewAccountSchema, form);
    if (!parsed.ok) return formFailure(parsed.errors, common.validation.formHasErrors);
    const result = await acceptInvitationWithNewAccount(context.db, invitation, parsed.data);
    if (!result.ok) return unusableLink(result.reason);
    return createUserSession(context, result.userId, studyPath);
  }

  const user = await getUser(request, context);
  if (user?.id === account.id) {
    if (!(await acceptInvitationAsUser(context.db, invitation, account.id))) return unusableLink("used");
    throw redirect(studyPath);
  }
  const parsed = parseForm(ExistingAccountSchema, form);
  if (!parsed.ok) return formFailure(parsed.errors);
  // The login throttle applies here too, or this form would be a way around it.
  const login = await attemptLogin(context, invitation.email, parsed.data.password);
  if (!login.ok) {
    return formFailure({ password: login.reason === "throttled" ? t.invitation.throttled : t.invitation.wrongPassword });
  }
  if (!(await acceptInvitationAsUser(context.db, invitation, account.id))) return unusableLink("used");
  return createUserSession(context, account.id, studyPath);
}

export default function InvitationPage() {
  const page = useSingleUseLinkPage<LoaderData>();
  if (page.unusable) return <UnusableLink title={t.invitation.unusableTitle} message={t.invitation.unusable[page.unusable]} />;
  const { loaded, busy, errors, formError } = page;
  return (
    <section className="card auth-card narrow">
      <h1>{t.invitation.title}</h1>
      <p>{t.invitation.intro(loaded.studyTitle, common.roles[loaded.role].toLowerCase())}</p>
      <p className="muted">
        {t.invitation.email} : <strong>{loaded.email}</strong>
      </p>
      <Form method="post" noValidate>
        <FormError message={formError} />
        {loaded.signedInAs ? (
          <p>{t.invitation.loggedInAs(loaded.signedInAs)}</p>
        ) : loaded.hasAccount ? (
          <>
            <p>{t.invitation.existingAccountIntro}</p>
            <TextField name="password" type="password" label={t.password.label} autoComplete="current-password" error={errors.password} required />
          </>
        ) : (
          <>
            <p>{t.invitation.newAccountIntro}</p>
            <TextField name="name" label={t.invitation.name} autoComplete="name" defaultValue={loaded.suggestedName} error={errors.name} required />
            <NewPasswordFields label={t.password.label} errors={errors} />
          </>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {loaded.hasAccount ? t.invitation.join : t.invitation.create}
        </button>
      </Form>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
