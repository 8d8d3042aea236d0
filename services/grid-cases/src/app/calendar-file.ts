import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type CalendarYear, calendarYearChecks } from "../domain/working-calendar.js";

const calendarFileSchema = z.object({
  years: z.array(
    z
      .object({
        year: z.number().int(),
        holidays: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() }).strict()),
        makeUpWorkingDays: z.array(z.string()),
      })
      .strict(),
  ),
});

/**
 * The years of WORKING_CALENDAR_FILE (`{"years": [{year, holidays: [{name, from, to}],
 * makeUpWorkingDays}]}`), none without the setting. A file that cannot be read, is not JSON
 * or holds a bad arrangement stops the service at startup with the reason.
 */
export async function readCalendarFile(path: string | undefined): Promise<CalendarYear[]> {
  if (!path) return [];
  const problem = (reason: string) => new Error(`WORKING_CALENDAR_FILE ${path}: ${reason}`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(code ? `cannot be read (${code})` : `is not JSON (${(error as Error).message})`);
  }
  const parsed = calendarFileSchema.safeParse(json);
  if (!parsed.success) {
    throw problem(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; "));
  }
  const violations = parsed.data.years.flatMap(
    (year, index) => calendarYearChecks(year, `years[${index}].`).violations,
  );
  if (violations.length > 0) {
    throw problem(violations.map((violation) => `${violation.field} ${violation.description}`).join("; "));
  }
  return parsed.data.years;
}
