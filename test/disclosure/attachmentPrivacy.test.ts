import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Document, Footer, Packer, Paragraph, TextRun } from 'docx';
import type { FastifyInstance } from 'fastify';
import { attachmentPath } from '../../src/disclosure/attachments.ts';
import { extractOfficeText } from '../../src/disclosure/attachmentText.ts';
import { idCheckCharacter } from '../../src/disclosure/privacy.ts';
import { AppError } from '../../src/errors.ts';
import { newWorkbook } from '../../src/exceljs.ts';
import { newId } from '../../src/ids.ts';
import { type Session, signIn, testApp } from '../support/app.ts';
import { backendNames, freshStore, type TestStore } from '../support/backends.ts';
import { zip } from '../support/zip.ts';
import { appointIn, smallDistrict } from './fixtures.ts';

// Issue 4 item 8: the personal-data scan that blocks publication reads "title, body or attachment text" — a
// Word or Excel attachment too, not only plain text.

const attachmentsDir = mkdtempSync(join(tmpdir(), 'gk-attachments-'));
process.env.GONGKAI_ATTACHMENTS_DIR = attachmentsDir;

const first17 = '33030419850317123';
const idNumber = first17 + idCheckCharacter(first17);
const maskedId = `${idNumber.slice(0, 2)}*************${idNumber.slice(-3)}`;

/** A Word file whose paragraphs are given as runs; the ID number below is split over two runs, as Word does. */
async function docx(paragraphs: string[][], footer?: string): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        ...(footer ? { footers: { default: new Footer({ children: [new Paragraph(footer)] }) } } : {}),
        children: paragraphs.map(
          (runs) =>
            new Paragraph({ children: runs.map((text, i) => new TextRun({ text, bold: i % 2 === 1 })) }),
        ),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = await newWorkbook();
  const ws = wb.addWorksheet('发放明细');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const withId = () =>
  docx([
    ['瓯海大道拓宽工程被征收人名单'],
    ['王某某，身份证号：', idNumber.slice(0, 9), idNumber.slice(9), '。'],
  ]);
const clean = () => docx([['瓯海大道拓宽工程被征收人名单'], ['王某某，身份证号：', maskedId, '。']]);

after(() => rmSync(attachmentsDir, { recursive: true, force: true }));

describe('the text of Word and Excel attachments', () => {
  test('docx: runs of a paragraph joined whole, paragraphs on lines, footers read, entities decoded', async () => {
    const { kind, text } = extractOfficeText(
      await docx(
        [['被征收人 王某某 & 李某某'], ['身份证号', idNumber.slice(0, 6), idNumber.slice(6)]],
        '咨询电话 13812341234',
      ),
    );
    assert.equal(kind, 'docx');
    assert.ok(text.includes(`身份证号${idNumber}`), text);
    assert.ok(text.includes('王某某 & 李某某\n'), text);
    assert.ok(text.includes('咨询电话 13812341234'), 'the footer is published with the file');
  });

  test('xlsx: shared strings and number cells, an 11-digit number read as the digits a reader sees', async () => {
    const { kind, text } = extractOfficeText(
      await xlsx([
        ['户主', '联系电话'],
        ['王某某', 13812341234],
      ]),
    );
    assert.equal(kind, 'xlsx');
    assert.ok(text.includes('户主') && text.includes('王某某'), text);
    assert.ok(text.split(/\s/).includes('13812341234'), text);
  });

  test('a zip that is not a Word or Excel file is refused with a field error, never a crash', () => {
    assert.throws(
      () => extractOfficeText(zip([{ name: 'word/readme.txt', content: Buffer.from('你好') }])),
      (e: unknown) =>
        e instanceof AppError && e.fields[0]?.field === 'file' && /缺少/.test(e.fields[0].reason),
    );
  });
});

for (const backend of backendNames) {
  describe(`personal data in Word and Excel attachments blocks publication [${backend}]`, () => {
    let ts: TestStore;
    let app: FastifyInstance;
    let ids: Awaited<ReturnType<typeof smallDistrict>>;
    let staff: Session;
    let leader: Session;
    before(async () => {
      ts = await freshStore(backend);
      ids = await smallDistrict(ts.ctx);
      app = await testApp(ts);
      staff = await signIn(app, ts, 'staff');
      leader = await signIn(app, ts, 'leader');
      await appointIn(ts.ctx, 'oh-zsb', 't-staff');
      await appointIn(ts.ctx, 'oh-zsb', 't-leader');
    });
    after(async () => {
      await app.close();
      await ts.dispose();
    });

    type Failure = { code: string; message: string; fields: { field: string; reason: string }[] };
    const send = (s: Session, method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });
    const record = async (title: string, body = '补偿款已全部发放到户，发放明细见附件。') => {
      const res = await send(staff, 'POST', '/records', {
        title,
        summary: `${title}。`,
        origin: 'produced',
        formedOn: '2024-05-06',
        attribute: 'proactive',
        body,
        disclosingUnitId: 'oh-zsb',
        areaId: ids.areaId,
        stage: 'result',
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: string }).id;
    };
    const file = (fileName: string, bytes: Buffer) => ({ fileName, contentBase64: bytes.toString('base64') });
    const attach = async (id: string, fileName: string, bytes: Buffer) => {
      const res = await send(staff, 'POST', `/records/${id}/attachments`, file(fileName, bytes));
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; mediaType: string };
    };
    const approve = async (id: string) => {
      assert.equal((await send(staff, 'POST', `/records/${id}/submit`)).statusCode, 200);
      for (const step of ['review', 'secrecy-check'])
        assert.equal(
          (await send(leader, 'POST', `/records/${id}/${step}`, { decision: 'approve' })).statusCode,
          200,
        );
    };

    test('a docx with a valid ID number split over two runs blocks publication, naming the file; mask refuses it', async () => {
      const id = await record('瓯海大道拓宽工程被征收人名单（一）', '联系电话13912345678');
      const a = await attach(id, '被征收人名单.docx', await withId());
      assert.equal(a.mediaType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');

      const blocked = await send(staff, 'POST', `/records/${id}/submit`);
      assert.equal(blocked.statusCode, 422, blocked.body);
      const err = blocked.json() as Failure;
      assert.equal(err.code, 'personal_data_found');
      assert.deepEqual(
        err.fields.map((f) => f.field),
        ['body', 'attachments.被征收人名单.docx'],
      );
      assert.equal(
        err.fields[1]?.reason,
        `附件《被征收人名单.docx》含个人信息：身份证号码（${maskedId}），请上传遮盖后的文件`,
      );
      assert.ok(!blocked.body.includes(idNumber), 'the refusal does not echo the ID number');

      // Masking cannot rewrite a Word file: it says so for the file and changes nothing, not even the body.
      const mask = await send(staff, 'POST', `/records/${id}/mask`);
      assert.equal(mask.statusCode, 422, mask.body);
      const maskErr = mask.json() as Failure;
      assert.equal(maskErr.code, 'attachment_not_maskable');
      assert.deepEqual(maskErr.fields, [
        {
          field: 'attachments.被征收人名单.docx',
          reason: '附件《被征收人名单.docx》含个人信息，请上传遮盖后的文件',
        },
      ]);
      const detail = (await send(staff, 'GET', `/records/${id}`)).json() as {
        body: string;
        privacyFindings: { field: string }[];
      };
      assert.equal(detail.body, '联系电话13912345678');
      assert.deepEqual(
        detail.privacyFindings.map((f) => f.field),
        ['body', 'attachments.被征收人名单.docx'],
      );

      // A masked version in its place: the mask now does the body, and the record goes all the way to the portal.
      const maskedVersion = await clean();
      const replaced = await send(
        staff,
        'PUT',
        `/records/${id}/attachments/${a.id}`,
        file('被征收人名单（已遮盖）.docx', maskedVersion),
      );
      assert.equal(replaced.statusCode, 200, replaced.body);
      assert.deepEqual((await send(staff, 'POST', `/records/${id}/mask`)).json(), { masked: 1 });
      await approve(id);
      assert.equal((await send(leader, 'POST', `/records/${id}/publish`)).statusCode, 200);
      const served = await app.inject({
        method: 'GET',
        url: `/api/v1/public/records/${id}/attachments/${a.id}`,
      });
      assert.equal(served.statusCode, 200);
      assert.ok(served.rawPayload.equals(maskedVersion), 'the portal serves the replacement');
      const history = (await send(staff, 'GET', `/records/${id}/history`)).json() as {
        items: { action: string }[];
      };
      assert.deepEqual(
        history.items.map((h) => h.action),
        [
          'created',
          'attachmentAdded',
          'attachmentReplaced',
          'masked',
          'submitted',
          'reviewApproved',
          'secrecyApproved',
          'published',
        ],
      );
    });

    test('an xlsx with a mobile number typed as a number cell blocks publication', async () => {
      const id = await record('瓯海大道拓宽工程补偿款发放明细');
      const a = await attach(
        id,
        '发放明细.xlsx',
        await xlsx([
          ['户主', '联系电话', '金额'],
          ['王某某', 13812341234, 356000],
        ]),
      );
      assert.equal(a.mediaType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const blocked = await send(staff, 'POST', `/records/${id}/submit`);
      assert.equal(blocked.statusCode, 422, blocked.body);
      const err = blocked.json() as Failure;
      assert.deepEqual(err.fields, [
        {
          field: 'attachments.发放明细.xlsx',
          reason: '附件《发放明细.xlsx》含个人信息：手机号码（138****1234），请上传遮盖后的文件',
        },
      ]);
      // removing the file clears the way
      assert.equal(
        (
          await app.inject({
            method: 'DELETE',
            url: `/api/v1/records/${id}/attachments/${a.id}`,
            headers: staff.headers,
          })
        ).statusCode,
        200,
      );
      assert.equal((await send(staff, 'POST', `/records/${id}/submit`)).statusCode, 200);
    });

    test('a clean docx (and a PDF, left to the 保密审查) passes and is published', async () => {
      const id = await record('瓯海大道拓宽工程被征收人名单（二）');
      await attach(id, '被征收人名单.docx', await clean());
      await attach(id, '征收决定.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
      await approve(id);
      assert.equal((await send(leader, 'POST', `/records/${id}/publish`)).statusCode, 200);
    });

    test('a Word file stored before its text was read is read at publication: the last scan still blocks it', async () => {
      const id = await record('瓯海大道拓宽工程被征收人名单（三）');
      await attach(id, '名单.docx', await clean());
      await approve(id);
      // As an upload from before text extraction would be: the file on disk, no text_content.
      const bytes = await withId();
      const storagePath = join('legacy', `${newId()}.docx`);
      mkdirSync(dirname(attachmentPath(storagePath)), { recursive: true });
      writeFileSync(attachmentPath(storagePath), bytes);
      await ts.store.db
        .insertInto('record_attachments')
        .values({
          id: newId(),
          record_id: id,
          file_name: '旧名单.docx',
          media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storage_path: storagePath,
          text_content: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      const blocked = await send(leader, 'POST', `/records/${id}/publish`);
      assert.equal(blocked.statusCode, 422, blocked.body);
      assert.deepEqual(
        (blocked.json() as Failure).fields.map((f) => f.field),
        ['attachments.旧名单.docx'],
      );
      assert.equal(
        (await app.inject({ method: 'GET', url: `/api/v1/public/records/${id}` })).statusCode,
        404,
        'not published',
      );
    });

    test('zip bombs are refused at upload with a field error, and nothing is stored', async () => {
      const id = await record('瓯海大道拓宽工程附件测试');
      // 60 MB of zeros deflate to ~60 KB: refused from the central directory before anything is inflated.
      const bomb = zip([
        { name: '[Content_Types].xml', content: Buffer.from('<Types/>') },
        { name: 'word/document.xml', content: Buffer.alloc(60 * 1024 * 1024) },
      ]);
      assert.ok(bomb.length < 200 * 1024);
      // The same lying about its size: inflation stops at the declared size.
      const liar = zip([
        { name: 'word/document.xml', content: Buffer.alloc(30 * 1024 * 1024), declaredSize: 1000 },
      ]);
      const many = zip(
        Array.from({ length: 600 }, (_, i) => ({
          name: `xl/worksheets/sheet${i}.xml`,
          content: Buffer.from('<x/>'),
        })),
      );
      for (const [bytes, reason] of [
        [bomb, /解压后过大/],
        [liar, /解压后大小与声明不符/],
        [many, /部件过多/],
      ] as const) {
        const res = await send(staff, 'POST', `/records/${id}/attachments`, file('名单.docx', bytes));
        assert.equal(res.statusCode, 400, res.body);
        const err = res.json() as Failure;
        assert.equal(err.code, 'validation_failed');
        assert.equal(err.fields[0]?.field, 'file');
        assert.match(err.fields[0]?.reason ?? '', reason);
      }
      const detail = (await send(staff, 'GET', `/records/${id}`)).json() as { attachments: unknown[] };
      assert.deepEqual(detail.attachments, []);
    });
  });
}
