/** A child of `element`: a node, text, or nothing (left out). */
export type Child = Node | string | number | undefined | false;

/** Creates an element with attributes and children; text is inserted as text, never as HTML. */
export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    created.append(child instanceof Node ? child : String(child));
  }
  return created;
}

/** A table with a header row of `headings` over `rows`. */
export function table(headings: string[], rows: Child[]): HTMLTableElement {
  return element(
    "table",
    {},
    element("thead", {}, element("tr", {}, ...headings.map((heading) => element("th", {}, heading)))),
    element("tbody", {}, ...rows),
  );
}

/** Replaces what a page region shows. */
export function show(region: HTMLElement, ...children: Child[]): void {
  region.replaceChildren(...children.filter((child) => child !== undefined && child !== false).map(asNode));
}

function asNode(child: Node | string | number): Node | string {
  return child instanceof Node ? child : String(child);
}

/** The element with this id, which the page's HTML must have. */
export function region(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no element #${id}`);
  return found;
}
