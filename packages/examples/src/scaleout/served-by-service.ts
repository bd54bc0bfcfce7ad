import type { ServicerContext } from "@tsgrpc/runtime";
import type { CreateUserRequest } from "../gen/users/users_types_pb.js";
import { UsersService } from "../users/users-service.js";

/** The response header naming the process that served a call. */
export const servedByHeader = "x-served-by";

/** The users service, answering each CreateUser with a header naming the serving process. */
export class ServedByUsersService extends UsersService {
  override async CreateUser(request: CreateUserRequest, context: ServicerContext) {
    context.sendInitialMetadata([[servedByHeader, String(process.pid)]]);
    return super.CreateUser(request, context);
  }
}
