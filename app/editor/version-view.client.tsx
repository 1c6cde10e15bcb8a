import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { contentExtensions } from "./extensions";

/** A stored version, read-only, rendered with the same schema as the live editor. */
export default function VersionView({ content }: { content: JSONContent }) {
  const editor = useEditor({ extensions: contentExtensions(), content, editable: false, editorProps: { attributes: { class: "report-content" } } }, [content]);
  return <EditorContent editor={editor} />;
}
