import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextField } from "~/components/form";
import { auth } from "~/i18n/auth";
import { common } from "~/i18n/common";
import { email, parseForm, type FieldErrors } from "~/models/forms";
import { attemptLogin } from "~/models/login.server";
import { createUserSession, getUser } from "~/models/session.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { hasDemoStudy } from "../../db/queries/studies";

export const meta: MetaFunction = () => [{ title: `${auth.login.title} · Terrain` }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect("/etudes");
  const demo = await hasDemoStudy(context.db);
  return { demoAccounts: demo ? DEMO_ACCOUNTS.map((a) => ({ email: a.email, role: a.role })) : null, demoPassword: demo ? DEMO_PASSWORD : null };
}

const LoginSchema = z.object({
  email,
  password: z.string().min(1, auth.login.invalid).max(1000, auth.login.invalid),
  redirectTo: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(LoginSchema, await request.formData());
  if (!parsed.ok) return { errors: parsed.errors, formError: null as string | null };
  const result = await attemptLogin(context, parsed.data.email, parsed.data.password);
  if (!result.ok) {
    return {
      errors: {} as FieldErrors,
      formError: result.reason === "throttled" ? auth.login.throttled : auth.login.invalid,
    };
  }
  return createUserSession(context, result.userId, parsed.data.redirectTo);
}

export default function Login() {
  const { demoAccounts, demoPassword } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="auth-layout">
      <section className="card auth-card">
        <h1>{auth.login.title}</h1>
        <Form method="post" noValidate>
          <FormError message={actionData?.formError} />
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <TextField name="email" type="email" label={auth.login.email} autoComplete="username" error={actionData?.errors.email} required />
          <TextField name="password" type="password" label={auth.login.password} autoComplete="current-password" error={actionData?.errors.password} required />
          <button type="submit" className="button primary" disabled={busy}>
            {auth.login.submit}
          </button>
        </Form>
      </section>
      {demoAccounts ? (
        <aside className="card demo-card" aria-labelledby="demo-title">
          <h2 id="demo-title">{auth.login.demoTitle}</h2>
          <p>
            {auth.login.demoText} <code>{demoPassword}</code>
          </p>
          <ul>
            {demoAccounts.map((a) => (
              <li key={a.email}>
                <code>{a.email}</code> — {common.roles[a.role]}
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
