import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { common } from "~/i18n/common";
import { findings as t } from "~/i18n/findings";
import { formatDay } from "~/i18n/format";
import { FILTER_PARAMS } from "~/models/findings-options";
import type { FilterValues, Vocabulary } from "~/models/findings-read.server";

function Select({ label, name, value, children }: { label: string; name: string; value: string; children: ReactNode }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {children}
      </select>
    </label>
  );
}

/**
 * The findings browser's filters, as a GET form on the current page: the browser and the
 * synthesis panel read them back with `parseFindingFilters`. Remount it (key) on a new search so
 * its selects show the URL's values.
 */
export function FindingFiltersForm({
  vocabulary: v,
  values,
  resetTo,
  label,
  className = "filters card",
}: {
  vocabulary: Vocabulary;
  values: FilterValues;
  resetTo: string;
  label?: string;
  className?: string;
}) {
  return (
    <Form method="get" className={className} aria-label={label ?? t.browser.filters}>
      <Select label={t.fields.factor} name={FILTER_PARAMS.factor} value={values.factor}>
        <option value="">{t.browser.all}</option>
        {v.families.map((family) => (
          <optgroup key={family.id} label={family.label}>
            {v.factors
              .filter((f) => f.familyId === family.id)
              .map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
          </optgroup>
        ))}
      </Select>
      <Select label={t.fields.family} name={FILTER_PARAMS.family} value={values.family}>
        <option value="">{t.browser.allFeminine}</option>
        {v.families.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </Select>
      <Select label={t.fields.kind} name={FILTER_PARAMS.kind} value={values.kind}>
        <option value="">{t.browser.all}</option>
        {v.kinds.map((k) => (
          <option key={k.key} value={k.key}>
            {k.label}
          </option>
        ))}
      </Select>
      <Select label={t.fields.audience} name={FILTER_PARAMS.audience} value={values.audience}>
        <option value="">{t.browser.all}</option>
        {v.audiences.map((a) => (
          <option key={a.key} value={a.key}>
            {a.label}
          </option>
        ))}
      </Select>
      <Select label={t.fields.dynamic} name={FILTER_PARAMS.dynamic} value={values.dynamic}>
        <option value="">{t.browser.allFeminine}</option>
        {v.types.map((type) => (
          <optgroup key={type.id} label={type.label}>
            {v.dynamics
              .filter((d) => d.typeId === type.id)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </optgroup>
        ))}
      </Select>
      <Select label={t.fields.dynamicType} name={FILTER_PARAMS.dynamicType} value={values.dynamicType}>
        <option value="">{t.browser.all}</option>
        {v.types.map((type) => (
          <option key={type.id} value={type.id}>
            {type.label}
          </option>
        ))}
      </Select>
      <Select label={t.fields.visit} name={FILTER_PARAMS.visit} value={values.visit}>
        <option value="">{t.browser.allFeminine}</option>
        {v.meetings.map((m) => (
          <option key={m.id} value={m.id}>
            {formatDay(m.startsOn)} · {m.title}
          </option>
        ))}
      </Select>
      <Select label={t.fields.author} name={FILTER_PARAMS.author} value={values.author}>
        <option value="">{t.browser.all}</option>
        {v.authors.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </Select>
      <Select label={t.fields.orphaned} name={FILTER_PARAMS.orphaned} value={values.orphaned}>
        <option value="">{t.browser.all}</option>
        <option value="non">{t.orphanedChoices.non}</option>
        <option value="oui">{t.orphanedChoices.oui}</option>
      </Select>
      <button type="submit" className="button">
        {common.actions.filter}
      </button>
      <Link to={resetTo} className="button subtle">
        {t.browser.reset}
      </Link>
    </Form>
  );
}
