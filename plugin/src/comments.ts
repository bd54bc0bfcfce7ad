import type { DescComments, DescMethod, DescService } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";

/**
 * The TSDoc text of a generated symbol: the leading and trailing comments of its declaration in
 * the `.proto` file, then `@generated from service users.Users` (or `rpc users.Users.CreateUser`)
 * and `@deprecated` when the declaration is. `summary` replaces the `.proto` comments (for symbols
 * that document themselves, such as `addUsersServicerToServer`).
 *
 * The text is raw; print it with `GeneratedFile.jsDoc`, which escapes `*\/`.
 */
export function docText(desc: DescService | DescMethod, summary?: string): string {
  const paragraphs: string[] = [];
  if (summary !== undefined) {
    paragraphs.push(summary);
  } else {
    const comments = getComments(desc);
    for (const comment of [comments.leading, comments.trailing]) {
      const lines = comment === undefined ? [] : trimBlankLines(commentLines(comment));
      if (lines.length > 0) {
        paragraphs.push(lines.join("\n"));
      }
    }
  }
  const tags = [`@generated from ${desc.toString()}`];
  if (desc.deprecated) {
    tags.push("@deprecated");
  }
  paragraphs.push(tags.join("\n"));
  return paragraphs.join("\n\n");
}

/**
 * Comments separated from a declaration by a blank line (a section heading above a group of
 * methods, say), as `//` lines to print above the generated symbol. They are not part of its
 * documentation, as in the `.proto` file.
 */
export function detachedCommentLines(desc: DescService | DescMethod, indentation = ""): string[] {
  const comments: DescComments = getComments(desc);
  const lines: string[] = [];
  for (const comment of comments.leadingDetached) {
    for (const line of commentLines(comment)) {
      lines.push(line.length > 0 ? `${indentation}// ${line}` : `${indentation}//`);
    }
    lines.push("");
  }
  return lines;
}

/**
 * The lines of a comment as protoc reports it: without the single space after `//` and without
 * the trailing line break.
 */
function commentLines(comment: string): string[] {
  const text = comment.endsWith("\n") ? comment.slice(0, -1) : comment;
  return text.split("\n").map((line) => (line.startsWith(" ") ? line.slice(1) : line).trimEnd());
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === "") {
    start++;
  }
  while (end > start && lines[end - 1]?.trim() === "") {
    end--;
  }
  return lines.slice(start, end);
}
