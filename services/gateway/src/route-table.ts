/**
 * Finds which of a list of Express-style routes (`/api/v1/cases/:caseId`, literal segments and
 * whole-segment parameters) a request's method and path fall under, in a few map lookups
 * instead of one regular expression per route. Matches as Express's router does by default:
 * case-insensitive literals, an optional trailing slash, HEAD served by GET. A route without
 * a method is a prefix: it covers every path below it.
 */
export class RouteTable<Value> {
  private readonly root = new RouteNode<Value>();

  add(method: string | undefined, path: string, value: Value): void {
    let node = this.root;
    for (const segment of segmentsOf(path)) {
      if (segment.startsWith(":")) {
        node.parameter ??= new RouteNode();
        node = node.parameter;
      } else {
        let child = node.literals.get(segment);
        if (!child) {
          child = new RouteNode();
          node.literals.set(segment, child);
        }
        node = child;
      }
    }
    if (method === undefined) node.prefix ??= value;
    else if (!node.byMethod.has(method.toUpperCase())) node.byMethod.set(method.toUpperCase(), value);
  }

  /** The value of a route that serves `method` `path`, or undefined when none does. */
  find(method: string, path: string): Value | undefined {
    const verb = method === "HEAD" ? "GET" : method;
    return this.root.find(verb, segmentsOf(path), 0);
  }
}

class RouteNode<Value> {
  readonly literals = new Map<string, RouteNode<Value>>();
  parameter: RouteNode<Value> | undefined;
  readonly byMethod = new Map<string, Value>();
  prefix: Value | undefined;

  find(method: string, segments: string[], index: number): Value | undefined {
    if (index === segments.length) return this.byMethod.get(method) ?? this.prefix;
    const segment = segments[index] as string;
    const found =
      this.literals.get(segment)?.find(method, segments, index + 1) ??
      (segment === "" ? undefined : this.parameter?.find(method, segments, index + 1));
    return found ?? this.prefix;
  }
}

/** `/api/v1/Cases/` → `["api", "v1", "cases"]`: lower-case, one trailing slash dropped. */
function segmentsOf(path: string): string[] {
  const trimmed = path.endsWith("/") && path.length > 1 ? path.slice(1, -1) : path.slice(1);
  return trimmed.split("/").map((segment) => (segment.startsWith(":") ? segment : segment.toLowerCase()));
}
