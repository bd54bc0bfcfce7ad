import { setTimeout as sleep } from "node:timers/promises";
import { type ServicerContext, StatusCode } from "@tsgrpc/runtime";
import { UsersServicer } from "../gen/users/users_grpc.js";
import type { CreateUserRequest, GetUsersRequest } from "../gen/users/users_types_pb.js";

/** How long a "slow" user takes to create: long enough for the client's short timeout to expire. */
const slowBackendMs = 2_000;

/**
 * The users tutorial's service. `CreateUser` logs where the request came from and assigns ids;
 * `GetUsers` streams back the users it is sent, one message each. A username starting with
 * "slow" stands in for a slow backend, to show deadlines.
 */
export class UsersService extends UsersServicer {
  readonly #log: (line: string) => void;
  #nextId = 1;

  constructor(log: (line: string) => void = console.log) {
    super();
    this.#log = log;
  }

  override async CreateUser(request: CreateUserRequest, context: ServicerContext) {
    const metadata = Object.fromEntries(context.invocationMetadata());
    this.#log(`CreateUser(${request.username}) ip=${metadata.ip ?? "?"} user-agent=${metadata["user-agent"] ?? "?"}`);
    if (!request.username) {
      return context.abort(StatusCode.INVALID_ARGUMENT, "username is required");
    }
    if (request.username.startsWith("slow")) {
      // Honouring the signal ends the wait as soon as the client gives up.
      await sleep(slowBackendMs, undefined, { signal: context.signal });
    }
    const userId = this.#nextId++;
    context.setTrailingMetadata([["user-count", String(userId)]]);
    return { user: { username: request.username, userId } };
  }

  override async *GetUsers(request: GetUsersRequest, _context: ServicerContext) {
    for (const user of request.user) {
      yield { user };
    }
  }
}
