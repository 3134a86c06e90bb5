import { z } from 'zod';

// Response and request shapes are shared with the web app; the params below are the server's own.
export {
  AddWellbeingContactSchema,
  CreateEscalationSchema,
  EscalationCountsSchema,
  EscalationDetailSchema,
  EscalationOptionsSchema,
  MentorEscalationSchema,
  MyEscalationsSchema,
  ProgramSafetySchema,
  RenewEscalationSchema,
  SafetySettingsSchema,
  WellbeingInboxSchema,
} from '../../../../common/safety.ts';

export const ProgramParamsSchema = z.object({ programId: z.uuid() });
export const ContactParamsSchema = z.object({ programId: z.uuid(), userId: z.uuid() });
export const PairingParamsSchema = z.object({ pairingId: z.uuid() });
export const EscalationParamsSchema = z.object({ escalationId: z.uuid() });
