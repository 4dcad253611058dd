import { accountRoutes } from '../accounts/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { disclosureRoutes } from '../disclosure/routes.ts';
import { flowRoutes } from '../flows/routes.ts';
import { objectionRoutes } from '../portal/objectionRoutes.ts';
import { registryRoutes } from '../registry/routes.ts';
import { dutyTableRoutes } from '../registry/spreadsheet/routes.ts';
import { requestRoutes } from '../requests/routes.ts';
import { securityRoutes } from '../security/routes.ts';
import type { AnyRoute } from './route.ts';
import { systemRoutes } from './systemRoutes.ts';

/** Every /api/v1 route, module by module. The route × role matrix (test/security) walks this list. */
export const apiRoutes: AnyRoute[] = [
  ...systemRoutes,
  ...accountRoutes,
  ...securityRoutes,
  ...registryRoutes,
  ...dutyTableRoutes,
  ...calendarRoutes,
  ...flowRoutes,
  ...disclosureRoutes,
  ...objectionRoutes,
  ...requestRoutes,
];
