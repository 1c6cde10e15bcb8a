import { Form, useSubmit } from "@remix-run/react";
import { clearLocalCopies } from "../editor/local-copies";

/** Logging out first deletes this browser's offline copies of documents (shared computers). */
export function LogoutForm({ label }: { label: string }) {
  const submit = useSubmit();
  return (
    <Form
      method="post"
      action="/deconnexion"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        void clearLocalCopies().then(() => submit(form));
      }}
    >
      <button type="submit" className="link-button">
        {label}
      </button>
    </Form>
  );
}
