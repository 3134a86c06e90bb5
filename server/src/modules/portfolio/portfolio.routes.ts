/** The mentor's own portfolio: figures as JSON for the page, and the PDF for a promotion dossier. */
import { ErrorBodySchema } from '../../../../common/api.ts';
import { PortfolioSchema } from '../../../../common/compensation.ts';
import type { FastifyReply } from 'fastify';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { getMyPortfolio, getMyPortfolioPdf } from './portfolio.service.ts';

function sendFile(reply: FastifyReply, fileName: string, contentType: string, body: string | Buffer) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

const tags = ['portfolio'];
const errors = { 401: ErrorBodySchema, 403: ErrorBodySchema };

export async function portfolioRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/portfolio',
    {
      schema: {
        tags,
        summary:
          'The signed-in mentor’s portfolio figures: mentees by academic year, meetings, hours, topics (counts only)',
        response: { 200: PortfolioSchema, ...errors },
      },
    },
    async (request) => getMyPortfolio(ctx, requireUser(request)),
  );

  app.get(
    '/api/me/portfolio.pdf',
    {
      schema: {
        tags,
        summary: 'The signed-in mentor’s portfolio as a PDF for a promotion dossier (no student names)',
        produces: ['application/pdf'],
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await getMyPortfolioPdf(ctx, requireUser(request));
      return sendFile(reply, file.fileName, 'application/pdf', file.pdf);
    },
  );
}
