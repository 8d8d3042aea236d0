import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import { describe, expect, it } from "vitest";
import { evolveCase, initialCaseState } from "./case.js";
import { CaseCategoryCatalogue, defaultCaseCategories } from "./case-categories.js";
import { decideSubmitCase, type SubmitCase } from "./submit-case.js";

const catalogue = new CaseCategoryCatalogue(defaultCaseCategories);
const sealForTest = (plain: string) => `sealed(${plain})`;

const validCommand = (): SubmitCase => ({
  caseId: "c-1",
  channel: "hotline_12345",
  requestType: "complaint",
  categoryCode: "manhole-cover-missing",
  title: "  Manhole cover missing on Jida Road ",
  description: "The cover outside No. 12 is gone; a child nearly fell in.",
  areaId: "440402-001-002-003",
  address: "12 Jida Road",
  reporterName: "Ms Chen",
  reporterPhone: "13812345678",
  anonymous: false,
  submittedBy: "operator-7",
  submittedAt: new Date("2026-03-02T01:30:00Z"),
});

describe("submitting a case", () => {
  it("given no case, a valid submission records it as submitted with trimmed text", () => {
    const event = decideSubmitCase(validCommand(), initialCaseState(), catalogue, sealForTest);
    expect(event.type).toBe("case.submitted");
    expect(event.data.title).toBe("Manhole cover missing on Jida Road");
    expect(event.data.submittedAt).toBe("2026-03-02T01:30:00.000Z");
    expect(evolveCase(initialCaseState(), event)).toMatchObject({ status: "submitted", caseId: "c-1" });
  });

  it("given an existing case, submitting the same id again is refused", () => {
    const existing = evolveCase(
      initialCaseState(),
      decideSubmitCase(validCommand(), initialCaseState(), catalogue, sealForTest),
    );
    expect(() => decideSubmitCase(validCommand(), existing, catalogue, sealForTest)).toThrow(
      AlreadyExistsError,
    );
  });

  it("refuses a category the catalogue does not have", () => {
    expect(() =>
      decideSubmitCase(
        { ...validCommand(), categoryCode: "alien-landing" },
        initialCaseState(),
        catalogue,
        sealForTest,
      ),
    ).toThrow("alien-landing is not in the catalogue");
  });

  it("reports every invalid field at once", () => {
    const command = {
      ...validCommand(),
      channel: "fax",
      requestType: "",
      categoryCode: "Not A Code",
      title: "   ",
      description: "x".repeat(2001),
      areaId: "",
      reporterName: "名".repeat(51),
    };
    let error: unknown;
    try {
      decideSubmitCase(command, initialCaseState(), catalogue, sealForTest);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).violations.map((violation) => violation.field).sort()).toEqual([
      "areaId",
      "categoryCode",
      "channel",
      "description",
      "reporterName",
      "requestType",
      "title",
    ]);
  });

  it("counts characters, not bytes, for limits: a 50-character Chinese name is accepted", () => {
    const event = decideSubmitCase(
      { ...validCommand(), reporterName: "陈".repeat(50) },
      initialCaseState(),
      catalogue,
      sealForTest,
    );
    expect(event.data.reporterName).toHaveLength(50);
  });

  it("keeps the reporter's phone only sealed and masked; an anonymous report has neither name nor phone", () => {
    const event = decideSubmitCase(validCommand(), initialCaseState(), catalogue, sealForTest);
    expect(event.data).toMatchObject({
      reporterPhoneMasked: "138****5678",
      reporterPhoneSealed: "sealed(13812345678)",
    });
    expect(JSON.stringify(event.data)).not.toContain('"13812345678"');
    const anonymous = { ...validCommand(), anonymous: true, reporterName: "", reporterPhone: "" };
    expect(decideSubmitCase(anonymous, initialCaseState(), catalogue, sealForTest).data.anonymous).toBe(true);
    expect(() =>
      decideSubmitCase({ ...validCommand(), anonymous: true }, initialCaseState(), catalogue, sealForTest),
    ).toThrow("an anonymous report has no reporter name or phone");
    expect(() =>
      decideSubmitCase(
        { ...validCommand(), reporterPhone: "12345" },
        initialCaseState(),
        catalogue,
        sealForTest,
      ),
    ).toThrow(InvalidArgumentError);
  });

  it("records where the problem is and its photo when given, and nothing when not", () => {
    const located = decideSubmitCase(
      {
        ...validCommand(),
        location: { latitude: 22.2716, longitude: 113.5767 },
        mediaUrl: " https://img.example.cn/cover.jpg ",
      },
      initialCaseState(),
      catalogue,
      sealForTest,
    );
    expect(evolveCase(initialCaseState(), located)).toMatchObject({
      location: { latitude: 22.2716, longitude: 113.5767 },
      mediaUrl: "https://img.example.cn/cover.jpg",
    });
    const plain = decideSubmitCase(
      { ...validCommand(), mediaUrl: "" },
      initialCaseState(),
      catalogue,
      sealForTest,
    );
    expect(plain.data).not.toHaveProperty("location");
    expect(plain.data).not.toHaveProperty("mediaUrl");
  });

  it("refuses coordinates off the globe and media that is no public http(s) URL", () => {
    const fieldsOf = (command: SubmitCase) => {
      try {
        decideSubmitCase(command, initialCaseState(), catalogue, sealForTest);
        return [];
      } catch (error) {
        return (error as InvalidArgumentError).violations.map((violation) => violation.field);
      }
    };
    expect(fieldsOf({ ...validCommand(), location: { latitude: 91, longitude: Number.NaN } })).toEqual([
      "location.latitude",
      "location.longitude",
    ]);
    expect(fieldsOf({ ...validCommand(), mediaUrl: "javascript:alert(1)" })).toEqual(["mediaUrl"]);
    expect(fieldsOf({ ...validCommand(), mediaUrl: "not a url" })).toEqual(["mediaUrl"]);
    expect(fieldsOf({ ...validCommand(), mediaUrl: `https://x.cn/${"a".repeat(500)}` })).toEqual([
      "mediaUrl",
    ]);
  });
});
