import { enumNames, gridCasesV1 } from "@civic/contracts";
import { AreaCode, InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, pageWith, unaryService } from "@civic/service-kit";
import type { AreaDesk, AreaView } from "../app/area-desk.js";

const levelNames = enumNames(gridCasesV1.AreaLevel, "AREA_LEVEL_");
const gridSizeNames = enumNames(gridCasesV1.GridSize, "GRID_SIZE_");
const staffRoleNames = enumNames(gridCasesV1.GridStaffRole, "GRID_STAFF_ROLE_");

function requireAreaId(areaId: string): void {
  if (!AreaCode.isPrefix(areaId, { min: 6 }))
    throw new InvalidArgumentError([{ field: "areaId", description: "must be an area code" }]);
}

/** gRPC face of the geography: areas, grid staff, departments. */
export function areaGrpcService(registry: AreaDesk): GrpcServiceRegistration {
  const areasPage = pageWith("areas", toProtoArea);
  return unaryService(gridCasesV1.AreaServiceService, {
    defineArea: async (request, { caller }) => ({
      area: toProtoArea(
        await registry.define(
          {
            areaId: request.areaId,
            level: levelNames.toName(request.level),
            name: request.name,
            population: request.population,
            households: request.households,
            gridSize: gridSizeNames.toName(request.gridSize),
          },
          caller,
        ),
      ),
    }),
    updateAreaFigures: async (request, { caller }) => {
      requireAreaId(request.areaId);
      const figures = { population: request.population, households: request.households };
      return { area: toProtoArea(await registry.updateFigures(request.areaId, figures, caller)) };
    },
    assignGridStaff: async (request, { caller }) => {
      requireAreaId(request.areaId);
      const member = {
        personId: request.member?.personId ?? "",
        name: request.member?.name ?? "",
        role: staffRoleNames.toName(request.member?.role ?? 0),
      };
      return { area: toProtoArea(await registry.assignStaff(request.areaId, member, caller)) };
    },
    getArea: async (request) => {
      requireAreaId(request.areaId);
      return { area: toProtoArea(await registry.get(request.areaId)) };
    },
    listAreas: (request) => areasPage(registry.listChildren(request.parentId, request)),
    registerDepartment: async (request, { caller }) => {
      const { departmentId, name } = await registry.registerDepartment(request, caller);
      return { department: { departmentId, name } };
    },
    listDepartments: async (request) => {
      const page = await registry.listDepartments(request);
      return {
        departments: page.departments.map(({ departmentId, name }) => ({ departmentId, name })),
        nextPageToken: page.nextPageToken,
      };
    },
  });
}

function toProtoArea(view: AreaView): gridCasesV1.Area {
  return {
    ...view,
    level: levelNames.fromName(view.level),
    gridSize: gridSizeNames.fromName(view.gridSize),
    staff: view.staff.map((member) => ({ ...member, role: staffRoleNames.fromName(member.role) })),
  };
}
