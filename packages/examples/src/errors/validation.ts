import type { User } from "../gen/users/users_types_pb.js";
import type { FieldViolation } from "./bad-request.js";

/** The longest username the service accepts. */
export const maxUsernameLength = 32;

const usernamePattern = /^[a-z][a-z0-9_-]*$/;

/**
 * What is wrong with `username`, as violations of the field at `path` (empty when it is valid):
 * every problem at once, so a form can show them all.
 */
export function usernameViolations(username: string, path: string): FieldViolation[] {
  if (username === "") return [{ field: path, reason: "REQUIRED", description: "a username is required" }];
  const violations: FieldViolation[] = [];
  if (username.length > maxUsernameLength) {
    violations.push({ field: path, reason: "TOO_LONG", description: `at most ${maxUsernameLength} characters` });
  }
  if (!usernamePattern.test(username)) {
    violations.push({
      field: path,
      reason: "INVALID_CHARACTERS",
      description: "lower-case letters, digits, '_' and '-', starting with a letter",
    });
  }
  return violations;
}

/** The violations of a list of users, with each field's path (`user[1].username`). */
export function usersViolations(users: readonly User[]): FieldViolation[] {
  return users.flatMap((user, i) => usernameViolations(user.username, `user[${i}].username`));
}
