import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, SelectField, TextAreaField, TextField } from "~/components/form";
import { IntentButton } from "~/components/intent-button";
import { common } from "~/i18n/common";
import { grid as t } from "~/i18n/grid";
import { refiQda } from "~/i18n/refi-qda";
import { isUuid, requireStudyRole, roleAtLeast } from "~/models/access.server";
import { type FieldErrors, parseForm } from "~/models/forms";
import {
  addFactor,
  addFamily,
  editFactor,
  editFamily,
  FactorSchema,
  FamilySchema,
  type GridEditor,
  LabelSchema,
  loadGrid,
  loadGridJournal,
  mergeFactor,
  MergeSchema,
  moveFactor,
  moveFamily,
  previewMerge,
  removeFactor,
  removeFamily,
  renameAudience,
  renameKind,
  setFactorArchived,
} from "~/models/grid.server";
import { requireUser } from "~/models/session.server";
import { useStudy } from "./etudes.$studyId";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study, role } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const [grid, journal] = await Promise.all([loadGrid(context, study.id), loadGridJournal(context, study.id)]);
  // The merge confirmation is a page state (?fusion=A&dans=B) so it works without JavaScript.
  const search = new URL(request.url).searchParams;
  const from = search.get("fusion");
  const to = search.get("dans");
  const merge =
    roleAtLeast(role, "pilote") && from !== null && to !== null
      ? isUuid(from) && isUuid(to)
        ? await previewMerge(context, study.id, from, to)
        : { ok: false as const, errors: { _form: common.validation.unknownItem } as FieldErrors }
      : null;
  return { grid, journal, merge };
}

/** Field errors are tagged with the form they concern, so only that form shows them. */
const failed = (target: string, errors: FieldErrors) => data({ target, errors }, { status: 400 });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "pilote");
  const editor: GridEditor = { studyId: study.id, userId: user.id };
  const form = await request.formData();
  const here = `/etudes/${study.id}/grille`;
  const intent = String(form.get("intent") ?? "");
  const done = (target: string, outcome: { ok: true } | { ok: false; errors: FieldErrors }) =>
    outcome.ok ? redirect(here) : failed(target, outcome.errors);

  if (intent === "family.create") {
    const parsed = parseForm(FamilySchema, form);
    return parsed.ok ? done("new-family", await addFamily(context, editor, parsed.data)) : failed("new-family", parsed.errors);
  }
  if (intent === "factor.create") {
    const parsed = parseForm(FactorSchema, form);
    return parsed.ok ? done("new-factor", await addFactor(context, editor, parsed.data)) : failed("new-factor", parsed.errors);
  }
  if (intent === "kind.update" || intent === "audience.update") {
    const key = String(form.get("key") ?? "");
    const target = `${intent}:${key}`;
    const parsed = parseForm(LabelSchema, form);
    if (!parsed.ok) return failed(target, parsed.errors);
    return done(target, await (intent === "kind.update" ? renameKind : renameAudience)(context, editor, key, parsed.data.label));
  }
  if (intent.startsWith("family.")) {
    const familyId = String(form.get("familyId") ?? "");
    const target = `family:${familyId}`;
    if (!isUuid(familyId)) return failed(target, { _form: common.validation.unknownItem });
    switch (intent) {
      case "family.update": {
        const parsed = parseForm(FamilySchema, form);
        return parsed.ok ? done(target, await editFamily(context, editor, familyId, parsed.data)) : failed(target, parsed.errors);
      }
      case "family.up":
      case "family.down":
        return done(target, await moveFamily(context, editor, familyId, intent === "family.up" ? "up" : "down"));
      case "family.delete":
        return done(target, await removeFamily(context, editor, familyId));
    }
  }
  if (intent.startsWith("factor.")) {
    const factorId = String(form.get("factorId") ?? "");
    const target = `factor:${factorId}`;
    if (!isUuid(factorId)) return failed(target, { _form: common.validation.unknownItem });
    switch (intent) {
      case "factor.update": {
        const parsed = parseForm(FactorSchema, form);
        return parsed.ok ? done(target, await editFactor(context, editor, factorId, parsed.data)) : failed(target, parsed.errors);
      }
      case "factor.up":
      case "factor.down":
        return done(target, await moveFactor(context, editor, factorId, intent === "factor.up" ? "up" : "down"));
      case "factor.archive":
      case "factor.unarchive":
        return done(target, await setFactorArchived(context, editor, factorId, intent === "factor.archive"));
      case "factor.delete":
        return done(target, await removeFactor(context, editor, factorId));
      case "factor.merge": {
        const parsed = parseForm(MergeSchema, form);
        return parsed.ok ? done("merge", await mergeFactor(context, editor, factorId, parsed.data.targetId)) : failed("merge", parsed.errors);
      }
    }
  }
  throw new Response(common.validation.invalidChoice, { status: 400 });
}

type Grid = ReturnType<typeof useLoaderData<typeof loader>>["grid"];
type Family = Grid["families"][number];
type Factor = Family["factors"][number];

function Swatch({ color }: { color: string }) {
  return <span className="swatch" style={{ background: color }} aria-hidden="true" />;
}

/** The fields of a factor, shared by the create and edit forms. */
function FactorFields({ factor, families, errors }: { factor?: Factor & { familyId: string }; families: readonly Family[]; errors?: FieldErrors }) {
  return (
    <>
      <TextField name="label" label={t.factors.label} defaultValue={factor?.label} error={errors?.label} maxLength={200} />
      <SelectField
        name="familyId"
        label={t.factors.family}
        defaultValue={factor?.familyId}
        error={errors?.familyId}
        options={families.map((f) => ({ value: f.id, label: f.label }))}
      />
      <TextField
        name="color"
        label={t.factors.color}
        hint={t.factors.colorHint}
        placeholder="#rrggbb"
        defaultValue={factor?.ownColor ?? ""}
        error={errors?.color}
        maxLength={7}
      />
      <TextAreaField name="definition" label={t.factors.definition} defaultValue={factor?.definition} error={errors?.definition} maxLength={2000} rows={2} />
    </>
  );
}

function FactorItem({
  factor,
  family,
  families,
  mergeTargets,
  first,
  last,
  errors,
}: {
  factor: Factor;
  family: Family;
  families: readonly Family[];
  mergeTargets: readonly Factor[];
  first: boolean;
  last: boolean;
  errors?: FieldErrors;
}) {
  const { isPilot } = useStudy();
  const hidden = { factorId: factor.id };
  const merged = factor.mergedInto !== null;
  return (
    <li className={factor.archived ? "factor-item is-archived" : "factor-item"} data-factor-id={factor.id}>
      <div className="factor-summary">
        <h4>
          <Swatch color={factor.color} /> {factor.label}
        </h4>
        {merged ? (
          <span className="badge archived">{t.factors.mergedInto(factor.mergedInto ?? "")}</span>
        ) : factor.archived ? (
          <span className="badge archived">{t.factors.archived}</span>
        ) : null}
        <span className="muted">{factor.findingCount > 0 ? t.factors.count(factor.findingCount) : t.factors.none}</span>
      </div>
      <p className="factor-definition">{factor.definition || <span className="muted">{t.factors.noDefinition}</span>}</p>
      {isPilot && !merged ? (
        <>
          <details className="grid-edit" open={errors !== undefined}>
            <summary>
              {common.actions.edit}
              <span className="visually-hidden"> {factor.label}</span>
            </summary>
            <Form method="post" noValidate className="form-grid">
              <input type="hidden" name="factorId" value={factor.id} />
              <FactorFields factor={{ ...factor, familyId: family.id }} families={families} errors={errors} />
              <div className="form-actions">
                <button type="submit" name="intent" value="factor.update" className="button">
                  {common.actions.save}
                </button>
              </div>
            </Form>
          </details>
          <div className="actions">
            <IntentButton hidden={hidden} intent="factor.up" label={t.move.up} disabled={first} />
            <IntentButton hidden={hidden} intent="factor.down" label={t.move.down} disabled={last} />
            <IntentButton hidden={hidden} intent={factor.archived ? "factor.unarchive" : "factor.archive"} label={factor.archived ? t.factors.unarchive : t.factors.archive} />
            {factor.findingCount === 0 ? (
              <IntentButton hidden={hidden} intent="factor.delete" label={t.factors.delete} className="button danger" confirm={t.factors.deleteConfirm(factor.label)} />
            ) : null}
            {mergeTargets.length > 0 ? (
              <Form method="get" className="inline-form merge-form">
                <input type="hidden" name="fusion" value={factor.id} />
                <label>
                  <span className="visually-hidden">{`${t.merge.target} (${factor.label})`}</span>
                  <select name="dans">
                    {mergeTargets.map((target) => (
                      <option key={target.id} value={target.id}>
                        {target.label}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className="button">
                  {t.merge.prepare}
                </button>
              </Form>
            ) : null}
          </div>
        </>
      ) : null}
    </li>
  );
}

function LabelList({ intent, title, items, label, empty, errorsFor }: {
  intent: "kind.update" | "audience.update";
  title: string;
  items: readonly { key: string; label: string; note?: string }[];
  label: (key: string) => string;
  empty: string;
  errorsFor: (target: string) => FieldErrors | undefined;
}) {
  const { isPilot } = useStudy();
  return (
    <section className="card" aria-labelledby={`${intent}-title`}>
      <h3 id={`${intent}-title`}>{title}</h3>
      {items.length === 0 ? <p className="empty">{empty}</p> : null}
      <ul className="label-list">
        {items.map((item) => (
          <li key={item.key}>
            {item.label} {item.note ? <span className="muted">({item.note})</span> : null}
            {isPilot ? (
              <Form method="post" noValidate className="inline-form label-edit">
                <input type="hidden" name="key" value={item.key} />
                <TextField name="label" label={label(item.key)} defaultValue={item.label} error={errorsFor(`${intent}:${item.key}`)?.label} maxLength={200} />
                <button type="submit" name="intent" value={intent} className="button">
                  {common.actions.save}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function AnalysisGrid() {
  const { grid, journal, merge } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ target: string; errors: FieldErrors }>();
  const { study, isPilot } = useStudy();
  const errorsFor = (target: string) => (actionData?.target === target ? actionData.errors : undefined);
  const activeFactors = grid.families.flatMap((f) => f.factors).filter((f) => !f.archived);
  const here = `/etudes/${study.id}/grille`;
  return (
    <>
      <h2>{t.title}</h2>
      <p className="muted">{t.intro}</p>
      <p className="export-row">
        <a className="button" href={`${here}/qdc`} download>
          {refiQda.links.grid}
        </a>
        <span className="muted">{refiQda.links.gridHint}</span>
      </p>
      <FormError message={actionData?.errors._form ?? (actionData?.target === "merge" ? actionData.errors.targetId : undefined)} />

      {merge ? (
        <section className="card notice merge-confirm" aria-labelledby="merge-title">
          <h3 id="merge-title">{t.merge.title}</h3>
          {merge.ok ? (
            <>
              <p>{t.merge.explain(merge.from.label, merge.to.label, merge.moved, merge.already)}</p>
              <div className="actions">
                <Form method="post" action={here}>
                  <input type="hidden" name="factorId" value={merge.from.id} />
                  <input type="hidden" name="targetId" value={merge.to.id} />
                  <button type="submit" name="intent" value="factor.merge" className="button primary">
                    {t.merge.confirm}
                  </button>
                </Form>
                <Link to={here} className="button">
                  {t.merge.cancel}
                </Link>
              </div>
            </>
          ) : (
            <>
              <FormError message={merge.errors._form ?? merge.errors.targetId} />
              <Link to={here} className="button">
                {common.actions.back}
              </Link>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="families-title" className="grid-families">
        <h3 id="families-title" className="visually-hidden">
          {t.families.title}
        </h3>
        {grid.families.length === 0 ? <p className="empty">{t.families.empty}</p> : null}
        {grid.families.map((family, familyIndex) => {
          const errors = errorsFor(`family:${family.id}`);
          return (
            <section key={family.id} className="card family-card" style={{ borderLeftColor: family.color }} aria-labelledby={`family-${family.id}`}>
              <div className="family-head">
                <h3 id={`family-${family.id}`}>
                  <Swatch color={family.color} /> {family.label}
                </h3>
                {isPilot ? (
                  <div className="actions">
                    <IntentButton hidden={{ familyId: family.id }} intent="family.up" label={t.move.up} disabled={familyIndex === 0} />
                    <IntentButton hidden={{ familyId: family.id }} intent="family.down" label={t.move.down} disabled={familyIndex === grid.families.length - 1} />
                    {family.factors.length === 0 ? <IntentButton hidden={{ familyId: family.id }} intent="family.delete" label={t.families.delete} className="button danger" /> : null}
                  </div>
                ) : null}
              </div>
              {isPilot ? (
                <details className="grid-edit" open={errors !== undefined}>
                  <summary>{t.families.edit}</summary>
                  <Form method="post" noValidate className="inline-form family-edit">
                    <input type="hidden" name="familyId" value={family.id} />
                    <TextField name="label" label={t.families.label} defaultValue={family.label} error={errors?.label} maxLength={200} />
                    <TextField name="color" label={t.families.color} hint={t.families.colorHint} defaultValue={family.color} error={errors?.color} maxLength={7} placeholder="#rrggbb" />
                    <button type="submit" name="intent" value="family.update" className="button">
                      {common.actions.save}
                    </button>
                  </Form>
                </details>
              ) : null}
              {family.factors.length === 0 ? <p className="empty">{t.families.noFactors}</p> : null}
              <ol className="factor-list">
                {family.factors.map((factor, index) => (
                  <FactorItem
                    key={factor.id}
                    factor={factor}
                    family={family}
                    families={grid.families}
                    mergeTargets={activeFactors.filter((f) => f.id !== factor.id)}
                    first={index === 0}
                    last={index === family.factors.length - 1}
                    errors={errorsFor(`factor:${factor.id}`)}
                  />
                ))}
              </ol>
            </section>
          );
        })}
      </section>

      {isPilot ? (
        <div className="grid-add">
          {grid.families.length > 0 ? (
            <section className="card form-card" aria-labelledby="new-factor">
              <h3 id="new-factor">{t.factors.add}</h3>
              <Form method="post" noValidate className="form-grid">
                <FactorFields families={grid.families} errors={errorsFor("new-factor")} />
                <div className="form-actions">
                  <button type="submit" name="intent" value="factor.create" className="button primary">
                    {t.factors.add}
                  </button>
                </div>
              </Form>
            </section>
          ) : null}
          <section className="card form-card" aria-labelledby="new-family">
            <h3 id="new-family">{t.families.add}</h3>
            <Form method="post" noValidate>
              <TextField name="label" label={t.families.label} error={errorsFor("new-family")?.label} maxLength={200} />
              <TextField name="color" label={t.families.color} hint={t.families.colorHint} placeholder="#rrggbb" error={errorsFor("new-family")?.color} maxLength={7} />
              <button type="submit" name="intent" value="family.create" className="button primary">
                {t.families.add}
              </button>
            </Form>
          </section>
        </div>
      ) : null}

      <div className="grid-labels">
        <LabelList
          intent="kind.update"
          title={t.kinds.title}
          items={grid.kinds.map((k) => ({ key: k.key, label: k.label, note: k.hasAudience ? t.kinds.hasAudience : undefined }))}
          label={t.kinds.label}
          empty={t.kinds.empty}
          errorsFor={errorsFor}
        />
        <LabelList intent="audience.update" title={t.audiences.title} items={grid.audiences} label={t.audiences.label} empty={t.audiences.empty} errorsFor={errorsFor} />
      </div>

      <section className="card grid-journal" aria-labelledby="journal-title">
        <h3 id="journal-title">{t.journal.title}</h3>
        {journal.length === 0 ? (
          <p className="empty">{t.journal.empty}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t.journal.when}</th>
                <th scope="col">{t.journal.who}</th>
                <th scope="col">{t.journal.what}</th>
              </tr>
            </thead>
            <tbody>
              {journal.map((change) => (
                <tr key={change.id}>
                  <td>
                    <time dateTime={change.at}>{change.when}</time>
                  </td>
                  <td>{change.who}</td>
                  <td>{change.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
