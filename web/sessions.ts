/// <reference lib="dom" />
/**
 * "Logged in on" under "Account and devices": the user's logins, the latest
 * active first, each named by its browser and system, with "Log out" beside
 * every one but this page's, read each time the panel opens; and "Download my
 * data", the copy of the user's data as a file.
 * @module
 */
import type { RestClient, SessionView } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { $, button, el } from "./view.ts";

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/Firefox\//, "Firefox"],
  [/Chrom(e|ium)\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X/, "macOS"],
  [/Linux/, "Linux"],
];

/** A login's name for people: "Chrome on Linux", or its User-Agent's first word. */
export function describe(agent = ""): string {
  const browser = BROWSERS.find(([re]) => re.test(agent))?.[1] ?? agent.split(/[\s/]/)[0];
  const system = SYSTEMS.find(([re]) => re.test(agent))?.[1];
  return [browser || "Unknown app", system].filter(Boolean).join(" on ");
}

/** Wires the list to its panel: it is read when the panel opens, and after each logout. */
export function bindSessions(rest: () => RestClient): void {
  const panel = $<HTMLDetailsElement>("account-panel");
  const error = (text = "") => $("sessions-error").textContent = text;
  const show = async () => {
    try {
      const sessions = await rest().sessions();
      $("sessions").replaceChildren(...sessions.map((s) => item(s, end)));
      error();
    } catch (e) {
      error(refusal(e, "Cannot read your logins"));
    }
  };
  const end = (session: SessionView) => {
    rest().endSession(session.id).then(show, (e) => error(refusal(e, "Cannot log that out")));
  };
  panel.addEventListener("toggle", () => panel.open && show());
  bindExport(rest);
}

// "Download my data": the copy as the server gives it, one JSON record a line, as a file.
function bindExport(rest: () => RestClient): void {
  $("export-data").onclick = async () => {
    $("export-error").textContent = "";
    try {
      const records = await rest().exportData();
      const text = records.map((record) => JSON.stringify(record)).join("\n") + "\n";
      const link = el("a", {
        href: URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" })),
        download: "chat-export.ndjson",
      });
      link.click();
      // The download starts after this turn: the URL is dropped once it surely has.
      setTimeout(() => URL.revokeObjectURL(link.getAttribute("href")!), 60_000);
    } catch (e) {
      $("export-error").textContent = refusal(e, "Cannot make the copy");
    }
  };
}

function item(session: SessionView, end: (session: SessionView) => void): HTMLElement {
  const name = describe(session.agent);
  const active = new Date(session.lastActiveAt).toLocaleString();
  return el(
    "li",
    { title: session.agent ?? "" },
    el("span", {}, name),
    el("span", { class: "when" }, session.current ? "this page" : `active ${active}`),
    ...(session.current ? [] : [button(`Log out ${name}`, "Log out", () => end(session))]),
  );
}
