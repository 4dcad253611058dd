import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { freshStore } from '../support/backends.ts';

describe('security.txt (RFC 9116): where a vulnerability of this installation is reported', () => {
  test('the operator’s contact is published with an expiry a year ahead; none configured publishes nothing', async () => {
    const ts = await freshStore('sqlite');
    const now = () => new Date('2026-11-22T10:00:00Z');
    const withContact = await buildApp({
      store: ts.store,
      now,
      securityContact: 'mailto:wlaq@example.gov.cn',
    });
    const without = await buildApp({ store: ts.store, now });
    try {
      const res = await withContact.inject({ url: '/.well-known/security.txt' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(
        res.body,
        'Contact: mailto:wlaq@example.gov.cn\nExpires: 2027-11-22T00:00:00Z\nPreferred-Languages: zh, en\n',
      );
      assert.equal((await without.inject({ url: '/.well-known/security.txt' })).statusCode, 404);
    } finally {
      await withContact.close();
      await without.close();
      await ts.dispose();
    }
  });

  test('GONGKAI_SECURITY_CONTACT: an address becomes mailto:, URIs pass, anything else stops the start', () => {
    assert.equal(
      loadConfig({ GONGKAI_SECURITY_CONTACT: 'wlaq@example.gov.cn' }).securityContact,
      'mailto:wlaq@example.gov.cn',
    );
    assert.equal(
      loadConfig({ GONGKAI_SECURITY_CONTACT: 'https://www.example.gov.cn/security' }).securityContact,
      'https://www.example.gov.cn/security',
    );
    assert.equal(loadConfig({}).securityContact, null);
    assert.throws(
      () => loadConfig({ GONGKAI_SECURITY_CONTACT: 'call the office' }),
      /GONGKAI_SECURITY_CONTACT/,
    );
  });
});
