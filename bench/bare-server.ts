import Fastify from 'fastify';

/** The ceiling on this machine: Fastify answering a constant, no database, no session. */
const app = Fastify({ logger: false });
app.get('/constant', async () => ({ status: 'ok', answer: 42 }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
