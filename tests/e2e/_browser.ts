/**
 * Headless Chromium for the web page's tests: Debian's package driven by
 * playwright-core, no browser download. Without Chromium the tests are skipped
 * with a message, except in CI, where that is a failure.
 * @module
 */
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { until } from "../_helpers/client.ts";
import { startTestServer, type TestServer } from "../_helpers/server.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
const IN_CI = Deno.env.get("CI") === "true";

const noBrowser = !hasChromium && !IN_CI;
if (noBrowser) console.log(`skip: browser test (no Chromium at ${CHROMIUM})`);

/** Where tests save screenshots. */
export const ARTIFACTS = new URL("./artifacts/", import.meta.url);

// Flags that keep Chromium off the network it cannot reach here, and work as root.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A test with a browser and a real server on port 0, both closed after it. The
 * page is bundled (`deno task build:web`) before the server starts, since the
 * server reads the bundle once, at start. `options.env` sets the server's
 * configuration (a higher rate limit, say).
 */
export function browserTest(
  name: string,
  fn: (env: { browser: Browser; server: TestServer }) => Promise<void>,
  options: { env?: Record<string, string> } = {},
): void {
  Deno.test({
    name,
    ignore: noBrowser,
    sanitizeResources: false, // the browser's pipes belong to playwright
    sanitizeOps: false,
    async fn() {
      const browser = await launchBrowser();
      const server = await startTestServer(options.env);
      try {
        await fn({ browser, server });
      } finally {
        await browser.close();
        await server.close();
      }
    },
  });
}

async function launchBrowser(): Promise<Browser> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build:web"],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`Cannot build the page: ${new TextDecoder().decode(stderr)}`);
  return await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Registers `name` on the page's login form and waits for the app to show. */
export async function register(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByLabel("Email (to register)").fill(`${name}@example.com`);
  await page.getByRole("button", { name: "Register" }).click();
  await page.locator("#me").getByText(name).waitFor();
}

/** Logs `name` in on the page's login form; waits for the app, or for the refusal when `refused`. */
export async function logIn(
  page: Page,
  name: string,
  options: { password: string; refused?: boolean },
): Promise<void> {
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(options.password);
  await page.getByRole("button", { name: "Log in" }).click();
  if (options.refused) await page.locator("#login-error").getByText(/./).waitFor();
  else await page.locator("#me").getByText(/./).waitFor(); // the name, or a display name set
}

/** Types `text` into the composer and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

/**
 * Two friends, Alice and Bob, each registered in a browser context of their own
 * that accepts every dialog, with their direct chat open on both pages: Alice
 * added Bob and sent "before", which Bob's page shows.
 */
export async function chattingPair(
  browser: Browser,
  url: string,
): Promise<{ names: [string, string]; pages: [Page, Page] }> {
  const tag = crypto.randomUUID().slice(0, 6);
  const names: [string, string] = [`alice_${tag}`, `bob_${tag}`];
  const pages: Page[] = [];
  for (const name of names) {
    const page = await (await browser.newContext()).newPage();
    page.on("dialog", (dialog) => dialog.accept());
    await register(page, url, name);
    pages.push(page);
  }
  const [a, b] = pages;
  const [alice, bob] = names;
  await a.getByLabel("Add a friend by username").fill(bob);
  await a.getByRole("button", { name: "Add", exact: true }).click();
  await a.locator("#chat-title").getByText(bob).waitFor();
  await send(a, "before"); // Bob's page learns of the new friend from the message
  await b.locator(`#friends li[data-user="${alice}"]`).click();
  await b.locator("#messages li .content").getByText("before").waitFor();
  return { names, pages: [a, b] };
}

/**
 * Waits until `read()` deep-equals `expected`, and fails with both after 15 s
 * (the page's state arrives over the network, in its own time).
 */
export async function waitForEqual<T>(
  read: () => Promise<T>,
  expected: T,
  message: string,
): Promise<void> {
  const same = async () => JSON.stringify(await read()) === JSON.stringify(expected);
  // On a timeout, fail with both values rather than with a bare "timed out".
  await until(message, same, 15_000).catch(async () => {
    assert.deepEqual(await read(), expected, message);
  });
}
