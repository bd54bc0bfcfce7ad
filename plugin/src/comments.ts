import { type DescFile, type DescMethod, type DescService, isFieldSet } from "@bufbuild/protobuf";
import {
  FileDescriptorProtoSchema,
  ServiceDescriptorProtoSchema,
  type SourceCodeInfo_Location,
  SourceCodeInfo_LocationSchema,
} from "@bufbuild/protobuf/wkt";

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
    const comments = commentsOf(desc);
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
  const comments = commentsOf(desc);
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

interface Comments {
  leading: string | undefined;
  trailing: string | undefined;
  leadingDetached: readonly string[];
}

/** Each file's source locations by path, built on first use. */
const locationIndexes = new WeakMap<DescFile, Map<string, SourceCodeInfo_Location>>();

/**
 * The comments of a service or method declaration. Like protoplugin's `getComments`, but through an
 * index of the file's locations: `getComments` scans them all on every call, which is quadratic in
 * the size of a file such as googleapis' compute.proto (~1,000 methods, ~250,000 locations).
 */
function commentsOf(desc: DescService | DescMethod): Comments {
  const service = desc.kind === "service" ? desc : desc.parent;
  const file = service.file;
  let index = locationIndexes.get(file);
  if (index === undefined) {
    index = new Map();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const key = location.path.join(",");
      // The first location of a path wins, as in getComments.
      if (!index.has(key)) {
        index.set(key, location);
      }
    }
    locationIndexes.set(file, index);
  }
  const path = [FileDescriptorProtoSchema.field.service.number, file.proto.service.indexOf(service.proto)];
  if (desc.kind === "rpc") {
    path.push(ServiceDescriptorProtoSchema.field.method.number, service.proto.method.indexOf(desc.proto));
  }
  const location = index.get(path.join(","));
  if (location === undefined) {
    return { leading: undefined, trailing: undefined, leadingDetached: [] };
  }
  const leading = SourceCodeInfo_LocationSchema.field.leadingComments;
  const trailing = SourceCodeInfo_LocationSchema.field.trailingComments;
  return {
    leading: isFieldSet(location, leading) ? location.leadingComments : undefined,
    trailing: isFieldSet(location, trailing) ? location.trailingComments : undefined,
    leadingDetached: location.leadingDetachedComments,
  };
}
