import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../src/context.ts';
import { loadDemo } from '../../src/demo/loadDemo.ts';
import { recordWithdrawer } from '../../src/disclosure/commands/recordReview.ts';
import { site } from '../../src/portal/site.ts';
import { buildApp } from '../../src/server/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The entries of a zip file by name, each checked against its CRC-32: what a word processor does first. */
function unzip(file: Buffer): Map<string, Buffer> {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'a zip file ends with its central directory');
  const out = new Map<string, Buffer>();
  let p = file.readUInt32LE(end + 16);
  for (let n = file.readUInt16LE(end + 10); n > 0; n--) {
    assert.equal(file.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const method = file.readUInt16LE(p + 10);
    const crc = file.readUInt32LE(p + 16);
    const size = file.readUInt32LE(p + 20);
    const nameLength = file.readUInt16LE(p + 28);
    const name = file.toString('utf8', p + 46, p + 46 + nameLength);
    const local = file.readUInt32LE(p + 42);
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const raw = file.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(crc32(data) >>> 0, crc, `${name} is intact`);
    out.set(name, data);
    p += 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
  }
  return out;
}

/** The text of a WordprocessingML part, paragraph by paragraph. */
const paragraphs = (xml: string) =>
  xml.split('</w:p>').map((p) =>
    [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1] ?? '')
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );

const quarterOf = (ymd: string) => Math.floor((Number(ymd.slice(5, 7)) - 1) / 3) + 1;

for (const backend of backendNames) {
  describe(`政府公报 as a page and a Word file [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    // The demo's published normative documents, grouped by the quarter they were formed in.
    const issues = new Map<
      string,
      { id: string; title: string; number: string | null; formedOn: string }[]
    >();
    let fullest = '';
    let empty = '';
    before(async () => {
      ts = await freshStore(backend);
      await loadDemo(ts.ctx, 'Demo-pass-2026');
      app = await buildApp({ store: ts.store });
      const policies = await ts.store.db
        .selectFrom('records')
        .select(['id', 'title', 'document_number', 'formed_on'])
        .where('kind', '=', 'policy')
        .where('publish_state', '=', 'published')
        .where('attribute', '=', 'proactive')
        .orderBy('formed_on')
        .orderBy('index_number')
        .execute();
      for (const p of policies) {
        const key = `${p.formed_on.slice(0, 4)}/${quarterOf(p.formed_on)}`;
        issues.set(key, [
          ...(issues.get(key) ?? []),
          { id: p.id, title: p.title, number: p.document_number, formedOn: p.formed_on },
        ]);
      }
      fullest = [...issues.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0] ?? '';
      const year = fullest.split('/')[0];
      empty = ['1', '2', '3', '4'].map((q) => `${year}/${q}`).find((k) => !issues.has(k)) ?? '';
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    test('the demo has an issue with several documents and a quarter without any', () => {
      assert.ok((issues.get(fullest)?.length ?? 0) >= 2, `issue ${fullest}`);
      assert.ok(empty, 'a quarter of that year without documents');
    });

    test('the list links every issue; an issue page lists its documents and links the Word file with its size', async () => {
      const list = await app.inject({ url: '/gazette' });
      assert.equal(list.statusCode, 200);
      for (const key of issues.keys()) assert.ok(list.body.includes(`href="/gazette/${key}"`), key);

      const page = await app.inject({ url: `/gazette/${fullest}` });
      assert.equal(page.statusCode, 200);
      const listed = [...page.body.matchAll(/<li><a href="#doc-([^"]+)">/g)].map((m) => m[1]);
      assert.deepEqual(
        listed,
        issues.get(fullest)?.map((d) => d.id),
        'the page lists the quarter’s documents in the order formed',
      );
      const link = page.body.match(
        new RegExp(`<a href="/gazette/${fullest}/download"[^>]*>([^<]*（Word 文档，(\\d+) KB）)</a>`),
      );
      assert.ok(link, 'the page links the .docx, naming its format and size');
      const file = await app.inject({ url: `/gazette/${fullest}/download` });
      assert.equal(
        Number(link[2]),
        Math.max(1, Math.round(file.rawPayload.length / 1024)),
        'the size shown is the file’s',
      );
    });

    test('the download is a .docx holding the cover, the contents and every document of the quarter', async () => {
      const [year, q] = fullest.split('/');
      const res = await app.inject({ url: `/gazette/${fullest}/download` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], docxType);
      assert.match(
        String(res.headers['content-disposition']),
        new RegExp(
          `^attachment; filename\\*=UTF-8''${encodeURIComponent(`政府公报${year}年第${q}期.docx`)}$`,
        ),
      );
      assert.ok(res.headers.etag);
      const lastChange = await ts.store.db
        .selectFrom('records')
        .select((eb) => eb.fn.max('updated_at').as('t'))
        .where(
          'id',
          'in',
          (issues.get(fullest) ?? []).map((d) => d.id),
        )
        .executeTakeFirstOrThrow();
      assert.equal(res.headers['last-modified'], new Date(String(lastChange.t)).toUTCString());

      const parts = unzip(res.rawPayload);
      for (const part of ['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml'])
        assert.ok(parts.has(part), part);
      const text = paragraphs(parts.get('word/document.xml')?.toString('utf8') ?? '');
      const at = (s: string, from = 0) => text.findIndex((p, i) => i >= from && p === s);
      // The cover: the government's name, the year and the issue number.
      assert.equal(text[0], site.name);
      assert.ok(at(`${year}年第${q}期`) > 0 && at(`${year}年第${q}期`) < 5, 'the cover names the issue');
      const contents = at('目　　录');
      assert.ok(contents > 0, 'a table of contents');
      assert.match(parts.get('word/document.xml')?.toString('utf8') ?? '', /TOC \\h \\o &quot;1-1&quot;/);
      // Each document in the order formed, its title listed in the contents, then its title, 文号, body,
      // issuing body and date.
      let last = contents;
      for (const d of issues.get(fullest) ?? []) {
        const entry = at(d.title, contents);
        assert.ok(entry > contents, `${d.title} is in the contents`);
        const heading = at(d.title, entry + 1);
        assert.ok(heading > last, `${d.title} follows the document before it`);
        if (d.number) assert.equal(text[heading + 1], d.number, `${d.title} has its 文号`);
        const [y, m, day] = d.formedOn.split('-').map(Number);
        assert.ok(at(`${y}年${m}月${day}日`, heading) > heading, `${d.title} is dated`);
        last = heading;
      }
      const first = issues.get(fullest)?.[0];
      const row = await ts.store.db
        .selectFrom('records')
        .innerJoin('units', 'units.id', 'records.disclosing_unit_id')
        .select(['records.body', 'units.name'])
        .where('records.id', '=', first?.id ?? '')
        .executeTakeFirstOrThrow();
      const firstLine = (row.body ?? '').split('\n')[0] ?? '';
      assert.ok(firstLine && text.includes(firstLine), 'the body text is there');
      assert.ok(text.includes(row.name), 'the issuing body is there');
    });

    test('the Word file is answered with 304 to a browser that has it', async () => {
      const url = `/gazette/${fullest}/download`;
      const first = await app.inject({ url });
      const again = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(again.statusCode, 304);
      const since = await app.inject({
        url,
        headers: { 'if-modified-since': String(first.headers['last-modified']) },
      });
      assert.equal(since.statusCode, 304);
    });

    test('a quarter without documents answers with a page that says so and lists the issues, not an empty file', async () => {
      for (const url of [`/gazette/${empty}`, `/gazette/${empty}/download`]) {
        const res = await app.inject({ url });
        assert.equal(res.statusCode, 404, url);
        assert.match(String(res.headers['content-type']), /^text\/html/, url);
        assert.equal(res.headers['content-disposition'], undefined, url);
        assert.match(res.body, /没有发布规范性文件|尚未发布规范性文件|尚未编印/, url);
        assert.ok(res.body.includes(`href="/gazette/${fullest}"`), `${url} links the issues there are`);
      }
      assert.match((await app.inject({ url: '/gazette/2099/1/download' })).body, /尚未编印/);
      assert.equal((await app.inject({ url: '/gazette/2024/5' })).statusCode, 404);
      assert.equal((await app.inject({ url: '/gazette/x/1/download' })).statusCode, 404);
    });

    test('a document withdrawn from an issue leaves both the page and the file', async () => {
      const docs = issues.get(fullest) ?? [];
      const gone = docs.at(-1);
      assert.ok(gone);
      const url = `/gazette/${fullest}/download`;
      const before = await app.inject({ url });
      await inTransaction(ts.ctx, (c) => recordWithdrawer(c, gone.id, '规范性文件已废止'));
      const page = await app.inject({ url: `/gazette/${fullest}` });
      assert.ok(!page.body.includes(gone.title));
      const afterwards = await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } });
      assert.equal(afterwards.statusCode, 200, 'a new file, not 304');
      const text = paragraphs(unzip(afterwards.rawPayload).get('word/document.xml')?.toString('utf8') ?? '');
      assert.ok(!text.includes(gone.title));
      assert.ok(text.includes(docs[0]?.title ?? '-'));
    });
  });
}
