import { Mark, mergeAttributes } from "@tiptap/core";

/** The mark's name, also the prefix of its Yjs formatting attributes (`finding--<hash>`). */
export const FINDING_MARK = "finding";

/**
 * One mark per finding, carrying only the finding's id; its tags live in the document's
 * `findings` map (app/editor/findings.ts). `excludes: ""` lets findings overlap: y-tiptap then
 * stores each mark as its own attribute, so two people tagging overlapping passages at the same
 * moment both keep their whole passage (a single mark holding a set of ids would be cut).
 * Not inclusive: typing at the edge of a passage does not extend the finding.
 */
export const FindingMark = Mark.create({
  name: FINDING_MARK,
  excludes: "",
  inclusive: false,

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute("data-finding-id"),
        renderHTML: (attributes: { id?: string | null }) => (attributes.id ? { "data-finding-id": attributes.id } : {}),
      },
    };
  },

  parseHTML() {
    return [{ tag: "mark.finding[data-finding-id]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["mark", mergeAttributes({ class: "finding" }, HTMLAttributes), 0];
  },
});
