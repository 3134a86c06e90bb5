import { z } from 'zod';
import { ThemeKeySchema } from '../../../../common/themes.ts';

// Response shapes are shared with the web app; the request schemas below are the server's own.
export {
  PairingReviewSchema,
  PinThemeBodySchema,
  PinThemeResultSchema,
  ProgramLexiconSchema,
  UpdateProgramLexiconSchema,
} from '../../../../common/review.ts';

export const ReviewParamsSchema = z.object({ pairingId: z.uuid() });
export const PinParamsSchema = z.object({ pairingId: z.uuid(), themeKey: ThemeKeySchema });
export const ReviewQuerySchema = z.object({
  /** Theme counts by calendar month (default) or by phase. */
  by: z.enum(['month', 'phase']).default('month'),
});
export const ProgramParamsSchema = z.object({ programId: z.uuid() });
