import { Form, Link } from "@remix-run/react";
import { common } from "~/i18n/common";
import { findings as t } from "~/i18n/findings";
import { formatDay } from "~/i18n/format";
import { FILTER_PARAMS } from "~/models/findings-options";
import type { FilterValues, Vocabulary } from "~/models/findings-read.server";

interface Choice {
  value: string;
  label: string;
}

interface ChoiceGroup {
  key: string;
  label: string;
  choices: Choice[];
}

const option = ({ value, label }: Choice) => (
  <option key={value} value={value}>
    {label}
  </option>
);

/** One filter: « Tous » or « Toutes » first (the empty value filters nothing), then the choices, grouped or not. */
function Select({
  label,
  name,
  value,
  all,
  choices,
}: {
  label: string;
  name: string;
  value: string;
  all: string;
  choices: (Choice | ChoiceGroup)[];
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        <option value="">{all}</option>
        {choices.map((choice) =>
          "choices" in choice ? (
            <optgroup key={choice.key} label={choice.label}>
              {choice.choices.map(option)}
            </optgroup>
          ) : (
            option(choice)
          ),
        )}
      </select>
    </label>
  );
}

/** Every filter of the form, in order: its field, its « all » wording and its choices. */
function filtersOf(v: Vocabulary): { field: keyof FilterValues; all: string; choices: (Choice | ChoiceGroup)[] }[] {
  const { all, allFeminine } = t.browser;
  return [
    {
      field: "factor",
      all,
      choices: v.families.map((family) => ({
        key: family.id,
        label: family.label,
        choices: v.factors.filter((f) => f.familyId === family.id).map((f) => ({ value: f.id, label: f.label })),
      })),
    },
    { field: "family", all: allFeminine, choices: v.families.map((f) => ({ value: f.id, label: f.label })) },
    { field: "kind", all, choices: v.kinds.map((k) => ({ value: k.key, label: k.label })) },
    { field: "audience", all, choices: v.audiences.map((a) => ({ value: a.key, label: a.label })) },
    {
      field: "dynamic",
      all: allFeminine,
      choices: v.types.map((type) => ({
        key: type.id,
        label: type.label,
        choices: v.dynamics.filter((d) => d.typeId === type.id).map((d) => ({ value: d.id, label: d.name })),
      })),
    },
    { field: "dynamicType", all, choices: v.types.map((type) => ({ value: type.id, label: type.label })) },
    { field: "visit", all: allFeminine, choices: v.meetings.map((m) => ({ value: m.id, label: `${formatDay(m.startsOn)} · ${m.title}` })) },
    { field: "author", all, choices: v.authors.map((a) => ({ value: a.id, label: a.name })) },
    {
      field: "orphaned",
      all,
      choices: [
        { value: "non", label: t.orphanedChoices.non },
        { value: "oui", label: t.orphanedChoices.oui },
      ],
    },
  ];
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
      {filtersOf(v).map(({ field, all, choices }) => (
        <Select key={field} label={t.fields[field]} name={FILTER_PARAMS[field]} value={values[field]} all={all} choices={choices} />
      ))}
      <button type="submit" className="button">
        {common.actions.filter}
      </button>
      <Link to={resetTo} className="button subtle">
        {t.browser.reset}
      </Link>
    </Form>
  );
}
