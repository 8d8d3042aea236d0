import type { ApiClient } from "./api.js";

const known = new Map<string, Promise<string>>();

/**
 * The names of areas by code (`GET /api/v1/areas/{areaId}`, open to anyone), each asked once
 * per page; an area that cannot be read is shown by its code.
 */
export async function areaNames(api: ApiClient, areaIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(areaIds)];
  for (const areaId of unique)
    if (!known.has(areaId))
      known.set(
        areaId,
        api.get<{ name: string }>(`/api/v1/areas/${areaId}`).then(
          (area) => area.name,
          () => areaId,
        ),
      );
  const names = await Promise.all(unique.map((areaId) => known.get(areaId) as Promise<string>));
  return new Map(unique.map((areaId, index) => [areaId, names[index] as string]));
}
