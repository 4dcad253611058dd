import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerAction } from '../../src/flows/actions.ts';
import { compileBpmn } from '../../src/flows/compile.ts';
import { bpmn, fixture, flows } from './support.ts';

const code = async (xml: string): Promise<{ code: string; message: string }> => {
  try {
    await compileBpmn(xml);
  } catch (err) {
    return err as { code: string; message: string };
  }
  return { code: 'accepted', message: '' };
};

describe('BPMN import checks', () => {
  test('a file saved by a modeller (diagram, lanes, Camunda attributes) compiles with its outcomes', async () => {
    const model = await compileBpmn(fixture('modeler-review.bpmn'));
    assert.equal(model.key, 'flow-fixture-review');
    assert.equal(model.code, 'fx-1');
    const check = model.nodes.get('check');
    assert.equal(check?.kind, 'userTask');
    assert.deepEqual(check?.kind === 'userTask' ? check.outcomes : [], ['符合', '不符合']);
    assert.deepEqual(check?.kind === 'userTask' ? check.assignment.candidateGroups : null, 'role:staff');
  });

  test('unsupported elements are refused with their type and id', async () => {
    const cases: [string, string][] = [
      ['<bpmn:startEvent id="s"/><bpmn:scriptTask id="script1"/>', 'bpmn:ScriptTask'],
      ['<bpmn:startEvent id="s"/><bpmn:task id="plain"/>', 'bpmn:Task'],
      [
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition/></bpmn:startEvent>',
        'bpmn:MessageEventDefinition',
      ],
      ['<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="ebg"/>', 'bpmn:EventBasedGateway'],
      ['<bpmn:startEvent id="s"/><bpmn:unknownThing id="u"/>', 'bpmn:unknownThing'],
    ];
    for (const [body, type] of cases) {
      const err = await code(bpmn('flow-bad', body));
      assert.equal(err.code, 'bpmn_unsupported', body);
      assert.ok(err.message.includes(type), `${err.message} names ${type}`);
    }
    const err = await code(bpmn('flow-bad', '<bpmn:startEvent id="s"/><bpmn:scriptTask id="script1"/>'));
    assert.ok(err.message.includes('script1'), 'and the id');
  });

  test('an unknown automatic action is refused; a registered one is accepted', async () => {
    const body = `<bpmn:startEvent id="s"/><bpmn:serviceTask id="auto" gongkai:action="sendFax"/><bpmn:endEvent id="e"/>${flows('s>auto', 'auto>e')}`;
    assert.equal((await code(bpmn('flow-fax', body))).code, 'bpmn_unknown_action');
    registerAction('sendFax', async () => undefined);
    assert.equal((await code(bpmn('flow-fax', body))).code, 'accepted');
  });

  test('bad expressions, timers and structure are refused before anything is stored', async () => {
    const bad = [
      `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${flows("s>e?${outcome === 'x'}")}`,
      '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>seven days</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
      '<bpmn:endEvent id="e"/>',
      '<bpmn:startEvent id="s"/><bpmn:startEvent id="s2"/>',
    ];
    for (const body of bad) assert.notEqual((await code(bpmn('flow-x', body))).code, 'accepted', body);
  });

  test('hostile XML is refused before parsing: DOCTYPE/ENTITY, size, depth', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>`;
    assert.equal((await code(laughs)).code, 'bpmn_unsafe');
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`;
    assert.equal((await code(xxe)).code, 'bpmn_unsafe');
    assert.equal((await code(`<a>${'x'.repeat(3 * 1024 * 1024)}</a>`)).code, 'bpmn_unsafe');
    assert.equal((await code(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`)).code, 'bpmn_unsafe');
    assert.equal((await code('<not-closed')).code, 'bpmn_unsafe');
  });
});
