import { exportsText as t } from "~/i18n/exports";

/**
 * « Exporter : Word (.docx) · Markdown · Imprimer / PDF » for a document whose export routes live
 * under `base` (`…/synthese`, `…/compte-rendu`). Printing uses the browser's dialog and the print
 * stylesheet, which leaves only the document on the page.
 */
export function ExportLinks({ base }: { base: string }) {
  return (
    <nav className="export-links" aria-label={t.links.navLabel}>
      <span className="export-links__label">{t.links.label}</span> <a href={`${base}/docx`}>{t.links.docx}</a>
      <span aria-hidden="true"> · </span>
      <a href={`${base}/markdown`}>{t.links.markdown}</a>
      <span aria-hidden="true"> · </span>
      <button type="button" className="link-button" onClick={() => window.print()}>
        {t.links.print}
      </button>
    </nav>
  );
}
