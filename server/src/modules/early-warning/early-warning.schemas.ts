import { z } from 'zod';
import { AlertFilterSchema } from '../../../../common/early-warning.ts';

// Response and body shapes are shared with the web app; the query and path schemas are the server's own.
export {
  AlertChangeSchema,
  AlertCountsSchema,
  AlertDetailSchema,
  AlertInboxSchema,
  LogContactSchema,
  MyAlertsSchema,
  MyWellbeingSchema,
  ProgramEarlyWarningSchema,
  ResolveAlertSchema,
  SaveWellbeingSchema,
  UpdateEarlyWarningSettingsSchema,
} from '../../../../common/early-warning.ts';

export const AlertParamsSchema = z.object({ alertId: z.uuid() });
export const ProgramParamsSchema = z.object({ programId: z.uuid() });
export const InboxQuerySchema = z.object({ state: AlertFilterSchema.default('open') });
