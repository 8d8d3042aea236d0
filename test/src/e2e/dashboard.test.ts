import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { launchChromium } from "../support/chromium.js";
import { httpClient } from "../support/http-client.js";
import { bearer } from "../support/tokens.js";
import { startWholePlatform, type WholePlatform } from "../support/whole-platform.js";

// Xiangzhou (the demo's district) with two streets; Nancun community's first grid and a building
// of 3 households in Gongbei street.
const district = "440402";
const gongbei = "440402001";
const jida = "440402002";
const nancun = "440402001002";
const grid = "440402001002001";
const building = "440402001002001001";
const chinaNow = new Date(Date.now() + 8 * 3_600_000).toISOString();
const month = chinaNow.slice(0, 7);
const year = chinaNow.slice(0, 4);

interface ListedCase {
  caseId: string;
  status: string;
  resolveDue?: string;
}

describe("the operations dashboard page, in headless Chromium", () => {
  let platform: WholePlatform;
  let http: ReturnType<typeof httpClient>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const tokens = {
    admin: bearer("admin-1", { roles: ["platform_admin"] }),
    // The command centre's token names its district: the event stream shows the events of the caller's areas.
    command: bearer("cc-1", { roles: ["command_centre"], areas: [district] }),
    staff: bearer("nancun-staff", { roles: ["community_staff"], areas: [nancun] }),
  };
  let noticeId: string;

  const ok = (answer: { status: number; body: unknown }) => {
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body as Record<string, unknown>;
  };
  const submitCase = async (title: string) =>
    ok(
      await http.post("/api/v1/cases", {
        channel: "app",
        requestType: "help",
        categoryCode: "fallen-tree",
        title,
        description: "挡住了通道",
        areaId: grid,
      }),
    ).caseId as string;
  const openCases = async () => {
    const query = ["submitted", "accepted", "dispatched", "signed_for", "returned", "in_progress"]
      .map((status) => `statuses=${status}`)
      .join("&");
    return (await http.get(`/api/v1/cases?areaIdPrefix=${district}&pageSize=200&${query}`, tokens.command))
      .body.cases as ListedCase[];
  };
  const figure = (name: string) => page.locator(`[data-figure="${name}"]`);

  beforeAll(async () => {
    [platform, browser] = await Promise.all([
      startWholePlatform(inject("mongoUri"), inject("natsUrl")),
      launchChromium(),
    ]);
    http = httpClient(platform.gatewayUrl);
    const areas = [
      { areaId: "440400", level: "city", name: "珠海市" },
      { areaId: district, level: "district", name: "香洲区", population: 1_000_000 },
      { areaId: gongbei, level: "street", name: "拱北街道", gridSize: "big", population: 100_000 },
      { areaId: jida, level: "street", name: "吉大街道", gridSize: "big", population: 80_000 },
      { areaId: nancun, level: "community", name: "南村社区", gridSize: "medium" },
      { areaId: grid, level: "grid", name: "南村第一网格", gridSize: "small" },
      { areaId: building, level: "building", name: "南村1栋", households: 3 },
    ];
    for (const area of areas)
      ok(await http.post("/api/v1/areas", { population: 0, households: 0, ...area }, tokens.admin));

    const caseIds = [await submitCase("树倒了"), await submitCase("井盖缺失"), await submitCase("路面破损")];
    ok(await http.post(`/api/v1/cases/${caseIds[0]}/transitions`, { accept: {} }, tokens.staff));

    // 2.4, 0.1 and 0.9 per 10,000 residents: 48 + 18 + 16 = 82 points, yellow. (Not orange or red:
    // the follow-up those open makes the street's period unreadable for now, see docs/dashboard.md.)
    for (const [indicator, count] of [
      ["crime", 24],
      ["fire", 1],
      ["traffic", 9],
    ] as const)
      ok(
        await http.put(
          `/api/v1/safety-index/${gongbei}/${month}/counts/${indicator}`,
          { count },
          tokens.command,
        ),
      );
    ok(await http.post(`/api/v1/safety-index/${gongbei}/${month}/publication`, {}, tokens.command));

    const notice = ok(
      await http.post(
        "/api/v1/emergency-notices",
        { title: "台风“摩羯”报平安", message: "请各户报平安", communityIds: [nancun] },
        tokens.command,
      ),
    );
    noticeId = notice.noticeId as string;
    ok(
      await http.post(
        `/api/v1/emergency-notices/${noticeId}/check-ins`,
        { householdId: `${building}-1`, answer: "safe" },
        tokens.staff,
      ),
    );
    // The scorecard is a projection of the cases' events: wait until it has the three.
    await vi.waitFor(
      async () => {
        const scorecard = await http.get(`/api/v1/scorecards/${district}/${year}`, tokens.command);
        expect(scorecard.body.cases).toMatchObject({ collected: 3 });
      },
      { timeout: 30_000, interval: 300 },
    );

    page = await browser.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    const token = tokens.command.replace("Bearer ", "");
    await page.goto(
      `${platform.gatewayUrl}/dashboard/?token=${encodeURIComponent(token)}&notice=${noticeId}`,
    );
    for (const panel of ["sla", "safety", "scorecard", "check-ins"]) {
      const section = page.locator(`#${panel}-panel:is([data-state="ready"], [data-state="failed"])`);
      await section.waitFor({ timeout: 15_000 });
      expect(await section.getAttribute("data-state"), (await section.textContent()) ?? "").toBe("ready");
    }
    await page.locator('#stream-state[data-state="live"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("is served with the gateway's CSP, moves the token out of the address, and runs without errors", async () => {
    const answer = await fetch(`${platform.gatewayUrl}/dashboard/`);
    expect(answer.status).toBe(200);
    const policy = answer.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'self'");
    expect(new URL(page.url()).searchParams.has("token")).toBe(false);
    expect(new URL(page.url()).searchParams.get("area")).toBe(district);
    expect(problems).toEqual([]);
  });

  it("shows the SLA board of the API's open cases: three open, one accepted with its deadline, two awaiting acceptance", async () => {
    const cases = await openCases();
    expect(cases).toHaveLength(3);
    const accepted = cases.filter((each) => each.resolveDue !== undefined);
    expect(accepted).toHaveLength(1);
    expect(await figure("sla-open").textContent()).toBe("3");
    expect(await figure("sla-awaiting_acceptance").textContent()).toBe("2");
    // A fallen tree is urgent: 3 working days to resolve, so neither overdue nor due within 24 h.
    expect(await figure("sla-overdue").textContent()).toBe("0");
    expect(await figure("sla-due_today").textContent()).toBe("0");
    const dueLater =
      Number(await figure("sla-due_soon").textContent()) + Number(await figure("sla-on_track").textContent());
    expect(dueLater).toBe(1);
    // The most urgent row first: the accepted case, the only one with a deadline.
    const firstRow = page.locator("#sla-body tbody tr").first().locator("td");
    expect(await firstRow.nth(0).textContent()).toBe("树倒了");
    expect(await firstRow.nth(1).textContent()).toBe("南村第一网格");
  });

  it("shows each street's published safety index as the API gives it, and the other street as not published", async () => {
    const published = (await http.get(`/api/v1/safety-index/${gongbei}/${month}`, tokens.command)).body
      .published as {
      score: number;
      level: string;
    };
    expect(published).toMatchObject({ level: "yellow", score: 82 });
    const street = page.locator(`[data-street="${gongbei}"]`);
    expect(await street.getAttribute("data-level")).toBe(published.level);
    expect(await street.locator(".score").textContent()).toBe(published.score.toFixed(1));
    expect(await street.locator(".name").textContent()).toBe("拱北街道");
    expect(await page.locator(`[data-street="${jida}"]`).getAttribute("data-level")).toBe("none");
    expect(await page.locator(`[data-street="${jida}"] .level`).textContent()).toBe("未发布");
  });

  it("shows the district's scorecard as the API gives it", async () => {
    const scorecard = (await http.get(`/api/v1/scorecards/${district}/${year}`, tokens.command)).body as {
      cases: { collected: number; resolved: number };
      staffing: { workers: number; workersPer10k?: number };
      compounds: { compounds: number; redCommitteeCoverage?: number };
    };
    expect(scorecard.cases).toMatchObject({ collected: 3, resolved: 0 });
    expect(await figure("scorecard-collected").textContent()).toBe("3");
    expect(await figure("scorecard-resolved").textContent()).toBe("0");
    expect(await figure("scorecard-resolution-rate").textContent()).toBe("0.00%");
    // No community workers or compounds are registered here: none per 10,000, no coverage.
    expect(scorecard).toMatchObject({ staffing: { workers: 0 }, compounds: { compounds: 0 } });
    expect(scorecard.compounds).not.toHaveProperty("redCommitteeCoverage");
    expect(await figure("scorecard-workers-per-10k").textContent()).toBe(
      String(scorecard.staffing.workersPer10k ?? "—"),
    );
    expect(await figure("scorecard-red-committee-coverage").textContent()).toBe("—");
  });

  it("shows the notice's check-in counts and follows a new check-in from the event stream", async () => {
    const community = page.locator(`[data-notice="${noticeId}"] [data-community="${nancun}"]`);
    expect(await community.locator("td").first().textContent()).toBe("南村社区");
    expect(await community.locator('[data-figure="safe"]').textContent()).toBe("1");
    expect(await community.locator('[data-figure="unanswered"]').textContent()).toBe("2");
    ok(
      await http.post(
        `/api/v1/emergency-notices/${noticeId}/check-ins`,
        { householdId: `${building}-2`, answer: "need_help" },
        tokens.staff,
      ),
    );
    await community.locator('[data-figure="need-help"]', { hasText: "1" }).waitFor({ timeout: 10_000 });
    expect(await community.locator('[data-figure="unanswered"]').textContent()).toBe("1");
    expect(await community.locator('[data-figure="safe"]').textContent()).toBe("1");
  });

  it("updates the SLA board when a case is submitted", async () => {
    await submitCase("噪音扰民");
    await figure("sla-open").filter({ hasText: /^4$/ }).waitFor({ timeout: 10_000 });
    expect(await figure("sla-awaiting_acceptance").textContent()).toBe("3");
    expect(await openCases()).toHaveLength(4);
  });

  it("asks for a token when it has none, and loads with one entered in its token field", async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${platform.gatewayUrl}/dashboard/`);
      await tab.locator("#stream-state", { hasText: "请输入访问令牌" }).waitFor({ timeout: 10_000 });
      expect(await tab.locator("#sla-panel").getAttribute("data-state")).toBeNull();
      await tab.locator("#token").fill(tokens.command.replace("Bearer ", ""));
      await tab.locator("#settings button[type=submit]").click();
      await tab.locator('#sla-panel[data-state="ready"]').waitFor({ timeout: 15_000 });
      expect(await tab.locator('[data-figure="sla-open"]').textContent()).toBe(
        String((await openCases()).length),
      );
    } finally {
      await tab.close();
    }
  });

  it("switches its labels between Chinese and English", async () => {
    expect(await page.locator("h1").textContent()).toBe("综合指挥中心运行看板");
    expect(await page.locator('[data-colour="overdue"] .caption').textContent()).toBe("已超时");
    await page.locator("#language").click();
    expect(await page.locator("h1").textContent()).toBe("Command centre operations dashboard");
    expect(await page.locator('[data-colour="overdue"] .caption').textContent()).toBe("Overdue");
    expect(await page.locator(`[data-street="${jida}"] .level`).textContent()).toBe("Not published");
    expect(new URL(page.url()).searchParams.get("lang")).toBe("en");
    expect(problems).toEqual([]);
  });
});
