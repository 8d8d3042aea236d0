import { describe, expect, it } from "vitest";
import { escapeXml, xmlDocument } from "./xml.js";

describe("GeoReport v2 XML", () => {
  it("escapes the five markup characters and replaces characters XML cannot hold", () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe("a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
    expect(escapeXml("]]><x/>")).toBe("]]&gt;&lt;x/&gt;");
    expect(escapeXml("bell\u0007 tab\t line\n 🙂 lone\uD800")).toBe("bell\uFFFD tab\t line\n 🙂 lone\uFFFD");
  });

  it("writes a list as one element per entry, null as an empty element", () => {
    expect(
      xmlDocument("service_requests", [
        { service_request_id: "c-1", account_id: null, lat: 22.27, notes: [{ summary: "<b>" }] },
      ]),
    ).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        "<service_requests><request><service_request_id>c-1</service_request_id><account_id/>" +
        "<lat>22.27</lat><notes><note><summary>&lt;b&gt;</summary></note></notes></request></service_requests>\n",
    );
    expect(xmlDocument("service_requests", [])).toContain("<service_requests/>");
    expect(xmlDocument("errors", [{ code: 400, description: "x" }])).toContain(
      "<errors><error><code>400</code><description>x</description></error></errors>",
    );
  });

  it("refuses a list whose entries have no element name, rather than guessing one", () => {
    expect(() => xmlDocument("colours", ["red"])).toThrow("colours");
  });
});
