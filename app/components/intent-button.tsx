import { Form } from "@remix-run/react";

/** A one-button form posting an intent about one row (move, archive, delete…). */
export function IntentButton({
  hidden,
  intent,
  label,
  className = "button",
  disabled,
  confirm,
}: {
  /** The row's id field(s), e.g. `{ typeId }`. */
  hidden: Record<string, string>;
  intent: string;
  label: string;
  className?: string;
  disabled?: boolean;
  /** Asked before posting; cancelling sends nothing. */
  confirm?: string;
}) {
  return (
    <Form
      method="post"
      onSubmit={confirm ? (event) => {
        if (!window.confirm(confirm)) event.preventDefault();
      } : undefined}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className={className} disabled={disabled}>
        {label}
      </button>
    </Form>
  );
}
