/**
 * Prints a development token for the local gateway:
 *   pnpm token --role command_centre --area 440402
 *   pnpm token --role department_staff --department water-affairs
 *   pnpm token --role platform_admin --subject admin-1
 */
import { parseArgs } from "node:util";
import { devToken } from "./dev-token.js";

const { values } = parseArgs({
  options: {
    role: { type: "string", multiple: true, default: ["command_centre"] },
    area: { type: "string", multiple: true, default: [] },
    department: { type: "string" },
    subject: { type: "string", default: "dev-user" },
  },
});

console.log(
  await devToken({
    subject: values.subject,
    roles: values.role,
    areas: values.area,
    ...(values.department ? { department: values.department } : {}),
  }),
);
