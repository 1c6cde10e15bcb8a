import { IntentForm, SelectField, TextField } from "~/components/form";
import { visits as t } from "~/i18n/visits";
import type { FieldErrors } from "~/models/forms";
import { MEETING_KINDS, MEETING_STATUSES } from "~/models/meeting-options";
import type { MeetingKind, MeetingStatus } from "../../db/schema";

/** Blank rows offered for new people met, so the form works without JavaScript. */
const BLANK_PEOPLE_ROWS = 3;

export interface MeetingValues {
  kind: MeetingKind;
  title: string;
  starts_on: string;
  ends_on: string | null;
  place: string;
  status: MeetingStatus;
  dynamicIds: readonly string[];
  memberIds: readonly string[];
  people: readonly { organisation: string; role: string; name: string | null }[];
}

function CheckboxGroup({
  legend,
  name,
  options,
  checked,
  error,
  emptyText,
}: {
  legend: string;
  name: string;
  options: readonly { id: string; name: string }[];
  checked: readonly string[];
  error?: string;
  emptyText?: string;
}) {
  return (
    <fieldset className={error ? "checkbox-group has-error" : "checkbox-group"}>
      <legend>{legend}</legend>
      {options.length === 0 && emptyText ? <span className="muted">{emptyText}</span> : null}
      {options.map((o) => (
        <label key={o.id}>
          <input type="checkbox" name={name} value={o.id} defaultChecked={checked.includes(o.id)} />
          {o.name}
        </label>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The create and edit form of a meeting. */
export function MeetingForm({
  intent,
  choices,
  values,
  errors,
  submitLabel,
}: {
  intent: string;
  choices: { dynamics: readonly { id: string; name: string }[]; members: readonly { id: string; name: string }[] };
  values?: MeetingValues;
  errors?: FieldErrors;
  submitLabel: string;
}) {
  const peopleError = errors?.people ?? errors?.personOrganisation ?? errors?.personRole ?? errors?.personName;
  const people = [...(values?.people ?? []), ...Array.from({ length: BLANK_PEOPLE_ROWS }, () => ({ organisation: "", role: "", name: "" }))];
  return (
    <IntentForm intent={intent} submitLabel={submitLabel}>
      <SelectField
        name="kind"
        label={t.fields.kind}
        defaultValue={values?.kind ?? "visite"}
        error={errors?.kind}
        options={MEETING_KINDS.map((k) => ({ value: k, label: t.kinds[k] }))}
      />
      <SelectField
        name="status"
        label={t.fields.status}
        defaultValue={values?.status ?? "prevue"}
        error={errors?.status}
        options={MEETING_STATUSES.map((s) => ({ value: s, label: t.statuses[s] }))}
      />
      <TextField name="title" label={t.fields.title} defaultValue={values?.title} error={errors?.title} maxLength={200} />
      <TextField name="startsOn" type="date" label={t.fields.startsOn} defaultValue={values?.starts_on} error={errors?.startsOn} />
      <TextField
        name="endsOn"
        type="date"
        label={t.fields.endsOn}
        hint={t.fields.endsOnHint}
        defaultValue={values?.ends_on ?? ""}
        error={errors?.endsOn}
      />
      <TextField name="place" label={t.fields.place} defaultValue={values?.place} error={errors?.place} maxLength={200} />
      <div className="span-2">
        <CheckboxGroup
          legend={t.fields.dynamics}
          name="dynamicIds"
          options={choices.dynamics}
          checked={values?.dynamicIds ?? []}
          error={errors?.dynamicIds}
          emptyText={t.fields.noDynamics}
        />
        <CheckboxGroup legend={t.fields.members} name="memberIds" options={choices.members} checked={values?.memberIds ?? []} error={errors?.memberIds} />
        <fieldset className={peopleError ? "people-rows has-error" : "people-rows"}>
          <legend>{t.fields.people}</legend>
          <p className="field-hint">{t.fields.peopleHint}</p>
          {people.map((person, i) => (
            <div className="people-row" key={i}>
              <input name="personOrganisation" aria-label={`${t.fields.organisation} ${i + 1}`} placeholder={t.fields.organisation} defaultValue={person.organisation} maxLength={200} />
              <input name="personRole" aria-label={`${t.fields.personRole} ${i + 1}`} placeholder={t.fields.personRole} defaultValue={person.role} maxLength={200} />
              <input name="personName" aria-label={`${t.fields.personName} ${i + 1}`} placeholder={t.fields.personName} defaultValue={person.name ?? ""} maxLength={200} />
            </div>
          ))}
          {peopleError ? (
            <p className="field-error" role="alert">
              {peopleError}
            </p>
          ) : null}
        </fieldset>
      </div>
    </IntentForm>
  );
}
