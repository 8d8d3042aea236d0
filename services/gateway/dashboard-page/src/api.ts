/** A refused or failed call, with what the gateway's problem+json said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<Body>(path: string): Promise<Body>;
}

/** Calls the gateway's public API (same origin) with the user's bearer token. */
export function apiClient(token: string): ApiClient {
  return {
    async get<Body>(path: string): Promise<Body> {
      const response = await fetch(path, {
        headers: { accept: "application/json", authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new ApiError(response.status, await problemText(response));
      return (await response.json()) as Body;
    },
  };
}

async function problemText(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { title?: string; detail?: string };
    return [problem.title, problem.detail].filter(Boolean).join(": ") || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
