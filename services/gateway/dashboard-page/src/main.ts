import { ApiError, apiClient } from "./api.js";
import { applyCheckIn, loadNotice, type NoticeCheckIns, renderCheckIns } from "./check-in-panel.js";
import { shownInChinaTime } from "./china-time.js";
import { element, region, show } from "./dom.js";
import { followEventStream, type StreamEvent, type StreamState } from "./event-stream.js";
import { type LabelKey, label, setLanguage } from "./labels.js";
import { addressOf, readSettings, storeToken, takeToken } from "./page-settings.js";
import { districtOf, loadSafetyBoard, renderSafetyBoard, type StreetSafety } from "./safety-board.js";
import { loadScorecard, renderScorecard, type Scorecard } from "./scorecard-panel.js";
import { loadSlaBoard, renderSlaBoard, type SlaBoard } from "./sla-board.js";

/** The board's panels, each with the data it last loaded (kept to re-render on a language switch). */
interface Panels {
  sla?: SlaBoard;
  safety?: StreetSafety[] | undefined;
  scorecard?: Scorecard;
  notices: Map<string, NoticeCheckIns>;
  stream: { state: StreamState; detail?: string };
}

type PanelName = "sla" | "safety" | "scorecard" | "check-ins";

/**
 * How long after an event a panel reloads: events come in bursts (a case's steps), and the
 * scorecard is a projection that folds an event in after it is published.
 */
const reloadDelayMs: Record<PanelName, number> = {
  sla: 500,
  safety: 500,
  scorecard: 2_000,
  "check-ins": 500,
};

const settings = readSettings(new URL(location.href));
let token = takeToken(new URL(location.href));
const panels: Panels = { notices: new Map(), stream: { state: "connecting" } };
let stopStream: (() => void) | undefined;

function start(): void {
  showSettingsInAddress();
  setLanguage(settings.language);
  fillSettingsForm();
  region("settings").addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    applySettingsForm();
  });
  region("language").addEventListener("click", () => {
    settings.language = settings.language === "zh" ? "en" : "zh";
    setLanguage(settings.language);
    showSettingsInAddress();
    renderAll();
  });
  region("add-notice").addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const input = region("notice-id") as HTMLInputElement;
    const noticeId = input.value.trim();
    if (noticeId === "" || settings.noticeIds.includes(noticeId)) return;
    settings.noticeIds.push(noticeId);
    input.value = "";
    showSettingsInAddress();
    void reload("check-ins");
  });
  loadEverything();
}

/** Keeps the address in step with what the board shows, so it can be bookmarked or shared. */
function showSettingsInAddress(): void {
  history.replaceState(null, "", addressOf(settings, new URL(location.href)));
}

function fillSettingsForm(): void {
  (region("area-id") as HTMLInputElement).value = settings.areaId;
  (region("period") as HTMLInputElement).value = settings.period;
  (region("year") as HTMLInputElement).value = settings.year;
  (region("token") as HTMLInputElement).value = token;
}

function applySettingsForm(): void {
  const next = new URL(location.href);
  next.search = "";
  next.searchParams.set("area", (region("area-id") as HTMLInputElement).value.trim());
  next.searchParams.set("period", (region("period") as HTMLInputElement).value.trim());
  next.searchParams.set("year", (region("year") as HTMLInputElement).value.trim());
  Object.assign(settings, {
    ...readSettings(next),
    language: settings.language,
    noticeIds: settings.noticeIds,
  });
  token = (region("token") as HTMLInputElement).value.trim();
  storeToken(token);
  showSettingsInAddress();
  fillSettingsForm();
  loadEverything();
}

function loadEverything(): void {
  stopStream?.();
  stopStream = undefined;
  panels.notices.clear();
  if (token === "") {
    show(region("stream-state"), label("needToken"));
    return;
  }
  for (const panel of ["sla", "safety", "scorecard", "check-ins"] as const) void reload(panel);
  const query = new URLSearchParams({ types: "grid-cases", areaId: settings.areaId });
  let wasLive = false;
  stopStream = followEventStream(`/api/v1/event-stream?${query}`, token, {
    onEvent: followEvent,
    onState: (state, detail) => {
      if (state === "live" && wasLive) {
        // Live again after a drop: what happened meanwhile was not sent.
        for (const panel of ["sla", "scorecard", "check-ins"] as const) reloadSoon(panel);
      }
      wasLive ||= state === "live";
      panels.stream = { state, ...(detail ? { detail } : {}) };
      renderStreamState();
    },
  });
}

/** Loads one panel, marking its section `data-state` loading → ready or failed. */
async function reload(panel: PanelName): Promise<void> {
  const section = region(`${panel}-panel`);
  section.dataset.state = "loading";
  const api = apiClient(token);
  try {
    if (panel === "sla") panels.sla = await loadSlaBoard(api, settings.areaId);
    if (panel === "scorecard") panels.scorecard = await loadScorecard(api, settings.areaId, settings.year);
    if (panel === "safety") {
      const districtId = districtOf(settings.areaId);
      panels.safety = districtId ? await loadSafetyBoard(api, districtId, settings.period) : undefined;
    }
    if (panel === "check-ins")
      for (const noticeId of settings.noticeIds)
        panels.notices.set(noticeId, await loadNotice(api, noticeId));
    section.dataset.updatedAt = new Date().toISOString();
    render(panel);
    section.dataset.state = "ready";
  } catch (error) {
    section.dataset.state = "failed";
    const reason = error instanceof ApiError ? error.message : String(error);
    show(region(`${panel}-body`), element("p", { class: "error" }, `${label("failed")}: ${reason}`));
  }
}

const pendingReloads = new Map<PanelName, ReturnType<typeof setTimeout>>();

function reloadSoon(panel: PanelName): void {
  if (pendingReloads.has(panel)) return;
  pendingReloads.set(
    panel,
    setTimeout(() => {
      pendingReloads.delete(panel);
      void reload(panel);
    }, reloadDelayMs[panel]),
  );
}

function followEvent(event: StreamEvent): void {
  if (event.type.startsWith("grid-cases.case.")) {
    reloadSoon("sla");
    reloadSoon("scorecard");
  } else if (event.type === "grid-cases.safety.index_published") {
    reloadSoon("safety");
  } else if (event.type === "grid-cases.emergency_notice.broadcast") {
    const noticeId = String(event.data.noticeId ?? "");
    if (noticeId !== "" && !settings.noticeIds.includes(noticeId)) settings.noticeIds.push(noticeId);
    reloadSoon("check-ins");
  } else if (event.type === "grid-cases.emergency_notice.checked_in") {
    if (!applyCheckIn(panels.notices, event)) return;
    region("check-ins-panel").dataset.updatedAt = new Date().toISOString();
    render("check-ins");
  }
}

function render(panel: PanelName): void {
  const body = region(`${panel}-body`);
  if (panel === "sla" && panels.sla) renderSlaBoard(body, panels.sla);
  if (panel === "safety") renderSafetyBoard(body, panels.safety);
  if (panel === "scorecard" && panels.scorecard) renderScorecard(body, panels.scorecard);
  if (panel === "check-ins") renderCheckIns(body, [...panels.notices.values()]);
  const updatedAt = region(`${panel}-panel`).dataset.updatedAt ?? new Date();
  show(region(`${panel}-updated`), `${label("updatedAt")} ${shownInChinaTime(updatedAt)}`);
}

function renderAll(): void {
  for (const panel of ["sla", "safety", "scorecard", "check-ins"] as const)
    if (region(`${panel}-panel`).dataset.state === "ready") render(panel);
  renderStreamState();
}

function renderStreamState(): void {
  const words: Record<StreamState, LabelKey> = {
    connecting: "streamConnecting",
    live: "streamLive",
    refused: "streamRefused",
  };
  const target = region("stream-state");
  target.dataset.state = panels.stream.state;
  show(target, label(words[panels.stream.state]), panels.stream.detail && ` (${panels.stream.detail})`);
}

start();
