// A real headless Chromium (Debian's `chromium`, driven by playwright-core) loads the gateway's
// page and sees the users the stream brings.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insecureChannel } from "@tsgrpc/runtime";
import { checkLeaksAfterAll } from "@tsgrpc/test-utils";
import { chromium } from "playwright-core";
import { UsersStub } from "../gen/users/users_grpc.js";
import { startUsersServer } from "../users/server.js";
import { startWebGateway } from "./gateway.js";

const chromiumPath = "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

checkLeaksAfterAll();

describe("the users web page in Chromium", () => {
  it("renders both users from the stream", async () => {
    // A missing browser fails the test instead of letting it pass without running.
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is absent: install it (apt-get install -y chromium; .ci/run does)`);
    }
    const { server, port } = await startUsersServer("127.0.0.1:0", () => {});
    const channel = insecureChannel(`127.0.0.1:${port}`);
    const gateway = await startWebGateway(new UsersStub(channel), "127.0.0.1", 0);
    const userDataDir = mkdtempSync(join(tmpdir(), "tsgrpc-chromium-"));
    const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${gateway.port}/`);
      await page.getByRole("status").filter({ hasText: "done" }).waitFor({ timeout: 10_000 });
      expect(await page.locator("#users li").allTextContents()).toEqual(["alexa (id 1)", "christie (id 2)"]);
      await page.getByLabel("names").fill("tom");
      await page.getByRole("button").click();
      await page.locator("#users li", { hasText: "tom (id 1)" }).waitFor({ timeout: 10_000 });
      expect(await page.locator("#users li").allTextContents()).toEqual(["tom (id 1)"]);
    } finally {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
      await gateway.close();
      channel.close();
      await server.stop(null);
    }
  });
});
