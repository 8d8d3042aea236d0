import { enumNames, gridCasesV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { invalidRequest, sendProblem } from "../problem.js";
import { pageQuery, validate } from "../validation.js";

const levelNames = enumNames(gridCasesV1.AreaLevel, "AREA_LEVEL_");
const gridSizeNames = enumNames(gridCasesV1.GridSize, "GRID_SIZE_");
const staffRoleNames = enumNames(gridCasesV1.GridStaffRole, "GRID_STAFF_ROLE_");
const names = (values: readonly string[]) => values as [string, ...string[]];

const count = z.number().int();
const defineAreaBody = z
  .object({
    areaId: z.string(),
    level: z.enum(names(levelNames.names)),
    name: z.string(),
    population: count.default(0),
    households: count.default(0),
    gridSize: z.enum(names(gridSizeNames.names)).optional(),
  })
  .strict();
const figuresBody = z.object({ population: count, households: count }).strict();
const staffBody = z
  .object({ personId: z.string(), name: z.string(), role: z.enum(names(staffRoleNames.names)) })
  .strict();
const departmentBody = z.object({ departmentId: z.string(), name: z.string() }).strict();
const listAreasQuery = z.object({ parentId: z.string().max(18).default(""), ...pageQuery }).strict();
const listDepartmentsQuery = z.object(pageQuery).strict();

export function areaJson(area: gridCasesV1.Area) {
  return {
    areaId: area.areaId,
    level: levelNames.toName(area.level),
    name: area.name,
    parentId: area.parentId,
    population: area.population,
    households: area.households,
    gridSize: gridSizeNames.toName(area.gridSize) || null,
    staff: area.staff.map((member) => ({ ...member, role: staffRoleNames.toName(member.role) })),
    version: area.version,
  };
}

/** Areas, grid staff and departments: see AreaService in proto/. */
export function areaRoutes({
  areas,
  call,
}: {
  areas: gridCasesV1.AreaServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const checked = <Schema extends z.ZodType>(
    schema: Schema,
    input: unknown,
    request: Request,
    response: Response,
  ) => {
    const result = validate(schema, input);
    if (!result.ok) sendProblem(response, invalidRequest(request.originalUrl, result.errors));
    return result.ok ? result.value : undefined;
  };
  const areaOf = (found: { area?: gridCasesV1.Area | undefined }) => {
    if (!found.area) throw new Error("AreaService answered without an area");
    return areaJson(found.area);
  };

  router.post("/api/v1/areas", async (request, response) => {
    const body = checked(defineAreaBody, request.body, request, response);
    if (!body) return;
    const defined = await call<gridCasesV1.DefineAreaResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        areas.defineArea(
          {
            ...body,
            level: levelNames.fromName(body.level),
            gridSize: gridSizeNames.fromName(body.gridSize ?? ""),
          },
          metadata,
          options,
          callback,
        ),
    );
    const area = areaOf(defined);
    response.status(201).location(`/api/v1/areas/${area.areaId}`).json(area);
  });

  router.put("/api/v1/areas/:areaId/figures", async (request, response) => {
    const body = checked(figuresBody, request.body, request, response);
    if (!body) return;
    const updated = await call<gridCasesV1.UpdateAreaFiguresResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        areas.updateAreaFigures(
          { areaId: request.params.areaId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    response.json(areaOf(updated));
  });

  router.post("/api/v1/areas/:areaId/staff", async (request, response) => {
    const body = checked(staffBody, request.body, request, response);
    if (!body) return;
    const member = { ...body, role: staffRoleNames.fromName(body.role) };
    const assigned = await call<gridCasesV1.AssignGridStaffResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        areas.assignGridStaff(
          { areaId: request.params.areaId as string, member },
          metadata,
          options,
          callback,
        ),
    );
    response.json(areaOf(assigned));
  });

  router.get("/api/v1/areas/:areaId", async (request, response) => {
    const found = await call<gridCasesV1.GetAreaResponse>(request, (metadata: Metadata, options, callback) =>
      areas.getArea({ areaId: request.params.areaId as string }, metadata, options, callback),
    );
    response.json(areaOf(found));
  });

  router.get("/api/v1/areas", async (request, response) => {
    const query = checked(listAreasQuery, request.query, request, response);
    if (!query) return;
    const page = await call<gridCasesV1.ListAreasResponse>(request, (metadata: Metadata, options, callback) =>
      areas.listAreas(query, metadata, options, callback),
    );
    response.json({ areas: page.areas.map(areaJson), nextPageToken: page.nextPageToken || null });
  });

  router.post("/api/v1/departments", async (request, response) => {
    const body = checked(departmentBody, request.body, request, response);
    if (!body) return;
    const registered = await call<gridCasesV1.RegisterDepartmentResponse>(
      request,
      (metadata: Metadata, options, callback) => areas.registerDepartment(body, metadata, options, callback),
    );
    response.status(201).json(registered.department);
  });

  router.get("/api/v1/departments", async (request, response) => {
    const query = checked(listDepartmentsQuery, request.query, request, response);
    if (!query) return;
    const page = await call<gridCasesV1.ListDepartmentsResponse>(
      request,
      (metadata: Metadata, options, callback) => areas.listDepartments(query, metadata, options, callback),
    );
    response.json({ departments: page.departments, nextPageToken: page.nextPageToken || null });
  });

  return router;
}
