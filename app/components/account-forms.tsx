import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/form";
import { account as t } from "~/i18n/account";
import type { FieldErrors } from "~/models/forms";

/** Why an invitation or reset link no longer opens anything, with the way back to the login page. */
export function UnusableLink({ title, message }: { title: string; message: string }) {
  return (
    <section className="card auth-card narrow" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/connexion">{t.invitation.toLogin}</Link>
      </p>
    </section>
  );
}

/** A new password typed twice, the pair `withConfirmation` checks. */
export function NewPasswordFields({ label, errors }: { label: string; errors: FieldErrors }) {
  return (
    <>
      <TextField name="password" type="password" label={label} autoComplete="new-password" error={errors.password} required />
      <TextField name="confirmation" type="password" label={t.password.confirmation} autoComplete="new-password" error={errors.confirmation} required />
    </>
  );
}

type LinkPage<L extends { unusable: string | null }> =
  | { unusable: NonNullable<L["unusable"]> }
  | { unusable: null; loaded: Extract<L, { unusable: null }>; busy: boolean; errors: FieldErrors; formError: string | null };

/**
 * The state of a page opened from a single-use link: why the link no longer works (found on load
 * or on submit), or else the loader's data and the form's errors.
 */
export function useSingleUseLinkPage<L extends { unusable: string | null }>(): LinkPage<L> {
  const loaded = useLoaderData() as L;
  const result = useActionData() as { unusable: NonNullable<L["unusable"]> } | { errors: FieldErrors; formError: string | null } | undefined;
  const busy = useNavigation().state === "submitting";
  const reason = result && "unusable" in result ? result.unusable : loaded.unusable;
  if (reason || loaded.unusable !== null) return { unusable: (reason ?? "unknown") as NonNullable<L["unusable"]> };
  return {
    unusable: null,
    loaded: loaded as Extract<L, { unusable: null }>,
    busy,
    errors: result && "errors" in result ? result.errors : {},
    formError: result && "formError" in result ? result.formError : null,
  };
}
