import Fastify from 'fastify';

const page =
  '<!doctype html><html lang="zh-CN"><body>' +
  '<p>瓯海区住房保障政策公开内容</p>'.repeat(400) +
  '</body></html>';
const app = Fastify();
app.get('/api/v1/units/:id', async (req) => ({
  id: req.params.id,
  name: '山亭区住房和城乡建设局',
  items: [1, 2, 3],
}));
app.get('/records/:id', async (req, reply) => reply.type('text/html; charset=utf-8').send(page));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
