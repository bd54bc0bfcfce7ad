import type { ServicerContext } from "@tsgrpc/runtime";
import type { CreateUserRequest, GetUsersRequest } from "../gen/users/users_types_pb.js";
import { UsersService } from "../users/users-service.js";
import { badRequestStatus } from "./bad-request.js";
import { usernameViolations, usersViolations } from "./validation.js";

/**
 * The users service with input validation: a request with a bad username fails with
 * INVALID_ARGUMENT and a `google.rpc.BadRequest` naming every bad field, before any work is done.
 */
export class ValidatingUsersService extends UsersService {
  override async CreateUser(request: CreateUserRequest, context: ServicerContext) {
    const violations = usernameViolations(request.username, "username");
    if (violations.length > 0) context.abortWithStatus(badRequestStatus("invalid user", violations));
    return super.CreateUser(request, context);
  }

  override async *GetUsers(request: GetUsersRequest, context: ServicerContext) {
    const violations = usersViolations(request.user);
    if (violations.length > 0) context.abortWithStatus(badRequestStatus("invalid users", violations));
    yield* super.GetUsers(request, context);
  }
}
