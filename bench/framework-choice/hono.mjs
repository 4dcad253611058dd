import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const page =
  '<!doctype html><html lang="zh-CN"><body>' +
  '<p>瓯海区住房保障政策公开内容</p>'.repeat(400) +
  '</body></html>';
const app = new Hono();
app.get('/api/v1/units/:id', (c) =>
  c.json({ id: c.req.param('id'), name: '山亭区住房和城乡建设局', items: [1, 2, 3] }),
);
app.get('/records/:id', (c) => c.html(page));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
