import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validateInput } from "./input-validation.js";

describe("validateInput", () => {
  const query = z.object({ pageSize: z.coerce.number().int().max(50), types: z.array(z.string()) }).strict();

  it("answers the parsed value", () => {
    expect(validateInput(query, { pageSize: "20", types: ["a"] })).toEqual({
      ok: true,
      value: { pageSize: 20, types: ["a"] },
    });
  });

  it("names each field at fault by its path, an unknown key as not a known field", () => {
    const result = validateInput(query, { pageSize: "90", types: [3], colour: "red" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { field: "pageSize", detail: expect.stringMatching(/50/) },
      { field: "types.0", detail: expect.any(String) },
      { field: "colour", detail: "is not a known field" },
    ]);
  });

  it("names the body itself when the input is no object", () => {
    expect(validateInput(query, "text")).toEqual({
      ok: false,
      errors: [{ field: "(body)", detail: expect.any(String) }],
    });
  });
});
