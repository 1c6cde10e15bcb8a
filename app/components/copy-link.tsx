import { useId, useState } from "react";

/** A link shown in full, selectable, with a copy button: there is no mail server to send it. */
export function CopyLink({ label, href, copyText, copiedText }: { label: string; href: string; copyText: string; copiedText: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-link">
      <label htmlFor={id}>{label}</label>
      <div className="copy-link-row">
        <input id={id} type="text" readOnly value={href} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button"
          onClick={(event) => {
            // The clipboard API exists only on https or localhost: elsewhere, select the text to copy by hand.
            if (navigator.clipboard) void navigator.clipboard.writeText(href).then(() => setCopied(true));
            else (event.currentTarget.previousElementSibling as HTMLInputElement | null)?.select();
          }}
        >
          {copied ? copiedText : copyText}
        </button>
      </div>
    </div>
  );
}

/** The confirmation of an action, with the link it created (if any) ready to hand over. */
export function LinkNotice({
  notice,
  link,
  labels,
}: {
  notice: string | null | undefined;
  link: string | null | undefined;
  labels: { copyLabel: string; copy: string; copied: string };
}) {
  if (!notice) return null;
  return (
    <div className="flash" role="status">
      <p>{notice}</p>
      {link ? <CopyLink label={labels.copyLabel} href={link} copyText={labels.copy} copiedText={labels.copied} /> : null}
    </div>
  );
}
