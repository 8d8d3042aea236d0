/**
 * GeoReport v2's XML format: the same answers as JSON, written as the spec's examples show them.
 * A list is an element holding one element per entry (`<services><service>…`), `null` and an
 * empty list are an empty element, and text is escaped (never CDATA).
 */

/** The element of each entry of a list, by the list's name. */
const entryNames: Record<string, string> = {
  services: "service",
  service_requests: "request",
  errors: "error",
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
  notes: "note",
  timeline: "entry",
  breached_deadlines: "deadline",
};

/** Characters XML 1.0 cannot hold at all (C0 controls but tab and line ends, U+FFFE/F, lone surrogates). */
const notXmlCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Text as XML character data: markup characters escaped, characters XML cannot hold replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(notXmlCharacters, "\uFFFD")
    .replace(/[&<>"']/g, (character) => escapes[character] ?? "");
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0))
    return `<${name}/>`;
  if (Array.isArray(value)) {
    const entry = entryNames[name];
    if (!entry) throw new Error(`no XML element is named for the entries of ${name}`);
    return `<${name}>${value.map((item) => element(entry, item)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    const children = Object.entries(value).map(([child, childValue]) => element(child, childValue));
    return `<${name}>${children.join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole XML document whose root element `root` holds `value`. */
export function xmlDocument(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}\n`;
}
