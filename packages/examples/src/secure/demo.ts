// `npm run demo:secure`: the users tutorial over TLS and then mutual TLS. Makes a CA, server and
// client certificates with openssl in a temporary directory (removed at the end), starts the
// server with them, and runs the tutorial's client.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runUsersClient } from "../users/client.js";
import { secureUsersChannel, startSecureUsersServer } from "./secure-users.js";
import { makeCertificates, readTlsFiles } from "./tls-files.js";

const dir = mkdtempSync(join(tmpdir(), "users-certs-"));
try {
  // The same relative path from src/secure and dist/secure.
  makeCertificates(fileURLToPath(new URL("../../scripts/make-certs.sh", import.meta.url)), dir);
  const tls = readTlsFiles(dir);
  for (const mutual of [false, true]) {
    const label = mutual ? "mutual TLS" : "TLS";
    const { server, port } = await startSecureUsersServer("127.0.0.1:0", {
      identity: tls.server,
      ...(mutual ? { clientCa: tls.ca } : {}),
    });
    const channel = secureUsersChannel(`localhost:${port}`, tls.ca, mutual ? tls.client : undefined);
    try {
      console.log(`[${label}] users server on localhost:${port}`);
      await runUsersClient(channel, (line) => console.log(`[${label}] ${line}`));
    } finally {
      channel.close();
      await server.stop(1);
    }
  }
  console.log("demo finished: both variants behaved as expected");
} catch (error) {
  console.error("demo failed:", error);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
