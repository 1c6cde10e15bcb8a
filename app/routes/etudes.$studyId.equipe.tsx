import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { z } from "zod";
import { LinkNotice } from "~/components/copy-link";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, SelectField, TextField } from "~/components/form";
import { common } from "~/i18n/common";
import { formatDateTime } from "~/i18n/format";
import { team as t } from "~/i18n/team";
import { requireStudyRole } from "~/models/access.server";
import { choice, email, parseForm, rowId, type FieldErrors } from "~/models/forms";
import { requireUser } from "~/models/session.server";
import {
  changeMemberRole,
  createPasswordResetLink,
  inviteToStudy,
  removeMember,
  revokeStudyInvitation,
  type TeamError,
} from "~/models/team.server";
import { absoluteLink, invitationPath, passwordResetPath } from "~/models/tokens.server";
import { listPendingInvitations } from "../../db/queries/invitations";
import { listStudyMembers } from "../../db/queries/memberships";

export const meta: MetaFunction = () => [{ title: `${t.title} · Terrain` }];

const ROLES = ["pilote", "membre", "lecteur"] as const;
const roleOptions = ROLES.map((r) => ({ value: r, label: common.roles[r] }));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study, role } = await requireStudyRole(context, user, params.studyId);
  const isPilot = role === "pilote";
  return {
    members: await listStudyMembers(context.db, study.id),
    invitations: isPilot ? await listPendingInvitations(context.db, study.id) : [],
    isPilot,
    currentUserId: user.id,
  };
}

const schemas = {
  role: z.object({ userId: rowId, role: choice(ROLES) }),
  remove: z.object({ userId: rowId }),
  reset: z.object({ userId: rowId }),
  invite: z.object({ email, role: choice(ROLES) }),
  revoke: z.object({ invitationId: rowId }),
};
type Intent = keyof typeof schemas;
const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(schemas, value);

interface ActionReply {
  intent: Intent | null;
  errors: FieldErrors;
  formError: string | null;
  notice: string | null;
  link: string | null;
}

const reply = (values: Partial<ActionReply>, status = 200) =>
  data<ActionReply>({ intent: null, errors: {}, formError: null, notice: null, link: null, ...values }, { status });

const failure = (intent: Intent, error: TeamError) => reply({ intent, formError: t.errors[error] }, 400);

/** Row ids come from hidden fields: a bad one is reported at the top, next to nothing the user typed. */
const invalid = (intent: Intent, errors: FieldErrors) =>
  reply({ intent, errors, formError: errors.userId ?? errors.invitationId ?? errors.role ?? null }, 400);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "pilote");
  const form = await request.formData();
  const intent = form.get("intent");
  if (!isIntent(intent)) return reply({ formError: t.errors.unknownIntent }, 400);
  const studyId = study.id;
  switch (intent) {
    case "role": {
      const parsed = parseForm(schemas.role, form);
      if (!parsed.ok) return invalid(intent, parsed.errors);
      const { userId, role } = parsed.data;
      const result = await changeMemberRole(context, studyId, userId, role);
      return result.ok ? reply({ intent, notice: t.done.roleChanged(result.name) }) : failure(intent, result.error);
    }
    case "remove": {
      const parsed = parseForm(schemas.remove, form);
      if (!parsed.ok) return invalid(intent, parsed.errors);
      const { userId } = parsed.data;
      const result = await removeMember(context, studyId, userId);
      return result.ok ? reply({ intent, notice: t.done.removed(result.name) }) : failure(intent, result.error);
    }
    case "reset": {
      const parsed = parseForm(schemas.reset, form);
      if (!parsed.ok) return invalid(intent, parsed.errors);
      const { userId } = parsed.data;
      const result = await createPasswordResetLink(context.db, studyId, userId, user.id);
      if (!result.ok) return failure(intent, result.error);
      return reply({ intent, notice: t.done.resetCreated(result.name), link: absoluteLink(request, passwordResetPath(result.token)) });
    }
    case "invite": {
      const parsed = parseForm(schemas.invite, form);
      if (!parsed.ok) return invalid(intent, parsed.errors);
      const result = await inviteToStudy(context.db, { studyId, ...parsed.data, invitedBy: user.id });
      if (!result.ok) return reply({ intent, errors: { email: t.errors[result.error] } }, 400);
      return reply({ intent, notice: t.done.invited(result.email), link: absoluteLink(request, invitationPath(result.token)) });
    }
    case "revoke": {
      const parsed = parseForm(schemas.revoke, form);
      if (!parsed.ok) return invalid(intent, parsed.errors);
      const { invitationId } = parsed.data;
      const result = await revokeStudyInvitation(context.db, studyId, invitationId);
      return result.ok ? reply({ intent, notice: t.done.revoked }) : failure(intent, result.error);
    }
  }
}

/** A form about the member of this row; `intent` tells the action what to do. */
function MemberForm({ intent, userId, children }: { intent: Intent; userId: string; children: ReactNode }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      {children}
    </Form>
  );
}

export default function TeamPage() {
  const { members, invitations, isPilot, currentUserId } = useLoaderData<typeof loader>();
  const result = useActionData<ActionReply>();
  const busy = useNavigation().state === "submitting";
  const inviteErrors = result?.intent === "invite" ? result.errors : {};
  const inviteForm = useRef<HTMLFormElement>(null);
  // Once the link is shown, the form empties for the next invitation.
  useEffect(() => {
    if (result?.intent === "invite" && result.link) inviteForm.current?.reset();
  }, [result]);
  return (
    <section className="team" aria-labelledby="team-title">
      <h2 id="team-title">{t.title}</h2>
      <p className="muted">{t.intro}</p>
      <FormError message={result?.formError} />
      <LinkNotice notice={result?.notice} link={result?.link} labels={t} />

      <table className="data team-members">
        <thead>
          <tr>
            <th scope="col">{t.columns.member}</th>
            <th scope="col">{t.columns.email}</th>
            <th scope="col">{t.columns.role}</th>
            {isPilot ? <th scope="col">{t.columns.actions}</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>
                <span className="member-name">
                  <span className="avatar" style={{ background: m.color }} aria-hidden="true">
                    {m.name.slice(0, 1).toUpperCase()}
                  </span>
                  <span>
                    {m.name}
                    {m.id === currentUserId ? <span className="muted"> {t.you}</span> : null}
                  </span>
                </span>
              </td>
              <td>{m.email}</td>
              <td>
                <span className={`badge role-${m.role}`}>{common.roles[m.role]}</span>
              </td>
              {isPilot ? (
                <td className="member-actions">
                  <MemberForm intent="role" userId={m.id}>
                    <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                      {t.roleOf(m.name)}
                    </label>
                    <select id={`role-${m.id}`} name="role" defaultValue={m.role}>
                      {roleOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button" disabled={busy}>
                      {t.changeRole}
                    </button>
                  </MemberForm>
                  <MemberForm intent="reset" userId={m.id}>
                    <button type="submit" className="button" disabled={busy}>
                      {t.resetLink}
                    </button>
                  </MemberForm>
                  <MemberForm intent="remove" userId={m.id}>
                    <button type="submit" className="button danger" disabled={busy}>
                      {t.remove}
                    </button>
                  </MemberForm>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>

      {isPilot ? (
        <>
          <section className="card team-invite" aria-labelledby="invite-title">
            <h3 id="invite-title">{t.invite.title}</h3>
            <p className="field-hint">{t.invite.hint}</p>
            <Form method="post" noValidate ref={inviteForm}>
              <input type="hidden" name="intent" value="invite" />
              <TextField name="email" type="email" label={t.invite.email} error={inviteErrors.email} required />
              <SelectField name="role" label={t.invite.role} options={roleOptions} defaultValue="membre" error={inviteErrors.role} />
              <button type="submit" className="button primary" disabled={busy}>
                {t.invite.submit}
              </button>
            </Form>
          </section>

          <section aria-labelledby="pending-title">
            <h3 id="pending-title">{t.pending.title}</h3>
            {invitations.length === 0 ? (
              <p className="empty">{t.pending.empty}</p>
            ) : (
              <table className="data team-invitations">
                <thead>
                  <tr>
                    <th scope="col">{t.pending.email}</th>
                    <th scope="col">{t.pending.role}</th>
                    <th scope="col">{t.pending.expires}</th>
                    <th scope="col">{t.pending.invitedBy}</th>
                    <th scope="col">{t.columns.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{common.roles[i.role]}</td>
                      <td>{formatDateTime(i.expires_at)}</td>
                      <td>{i.invited_by ?? t.pending.unknownInviter}</td>
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <button type="submit" className="button danger" disabled={busy}>
                            {t.pending.revoke}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      ) : null}
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
