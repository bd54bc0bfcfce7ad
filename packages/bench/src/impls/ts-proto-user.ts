/** The sample user as a ts-proto message (int64 as a number, ts-proto's default). */
import type { User } from "../gen-ts-proto/bench/v1/bench.js";
import { sampleUser } from "../impl.js";

export const tsProtoUser: User = {
  username: sampleUser.username,
  userId: sampleUser.userId,
  email: sampleUser.email,
  tags: [...sampleUser.tags],
  createdAt: sampleUser.createdAtMs,
};
