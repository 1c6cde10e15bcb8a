import { IntentForm, SelectField, TextAreaField, TextField } from "~/components/form";
import { dynamics as t } from "~/i18n/dynamics";
import type { FieldErrors } from "~/models/forms";

export interface DynamicValues {
  name: string;
  type_id: string;
  territory: string;
  department: string | null;
  description: string;
  website: string | null;
}

/** The create and edit form of a dynamic. */
export function DynamicForm({
  intent,
  types,
  values,
  errors,
  submitLabel,
}: {
  intent: string;
  types: readonly { id: string; label: string }[];
  values?: DynamicValues;
  errors?: FieldErrors;
  submitLabel: string;
}) {
  return (
    <IntentForm intent={intent} submitLabel={submitLabel}>
      <TextField name="name" label={t.fields.name} defaultValue={values?.name} error={errors?.name} maxLength={200} required />
      <SelectField
        name="typeId"
        label={t.fields.type}
        defaultValue={values?.type_id}
        error={errors?.typeId}
        options={types.map((type) => ({ value: type.id, label: type.label }))}
      />
      <TextField name="territory" label={t.fields.territory} defaultValue={values?.territory} error={errors?.territory} maxLength={200} />
      <TextField
        name="department"
        label={t.fields.department}
        hint={t.fields.departmentHint}
        defaultValue={values?.department ?? ""}
        error={errors?.department}
        maxLength={3}
      />
      <TextField
        name="website"
        type="url"
        label={t.fields.website}
        hint={t.fields.websiteHint}
        defaultValue={values?.website ?? ""}
        error={errors?.website}
      />
      <TextAreaField
        name="description"
        label={t.fields.description}
        defaultValue={values?.description}
        error={errors?.description}
        maxLength={2000}
      />
    </IntentForm>
  );
}
