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
    // an element no BPMN package knows is refused by the parser: its id is still named
    const unknown = await code(bpmn('flow-bad', '<bpmn:startEvent id="s"/><bpmn:unknownThing id="u7"/>'));
    assert.match(unknown.message, /bpmn:unknownThing（id=u7）/);
  });

  test('extension elements that would change the run (listeners, mappings) are refused with the element and id', async () => {
    const cases: [string, string][] = [
      [
        '<bpmn:userTask id="t1"><bpmn:extensionElements><camunda:taskListener event="create" class="x.Y"/></bpmn:extensionElements></bpmn:userTask>',
        'camunda:TaskListener（id=t1）',
      ],
      [
        '<bpmn:callActivity id="c1" calledElement="x"><bpmn:extensionElements><camunda:in variables="all"/></bpmn:extensionElements></bpmn:callActivity>',
        'camunda:In（id=c1）',
      ],
      [
        '<bpmn:userTask id="t2"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="a">1</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>',
        'camunda:InputOutput（id=t2）',
      ],
    ];
    for (const [body, named] of cases) {
      const err = await code(bpmn('flow-ext', `<bpmn:startEvent id="s"/>${body}`));
      assert.equal(err.code, 'bpmn_unsupported', body);
      assert.ok(err.message.includes(named), `${err.message} names ${named}`);
    }
    // a form description does not change the run: accepted
    const form = `<bpmn:startEvent id="s"/><bpmn:userTask id="t"><bpmn:extensionElements><camunda:formData><camunda:formField id="f" type="string"/></camunda:formData></bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="e"/>${flows('s>t', 't>e')}`;
    assert.equal((await code(bpmn('flow-form', form))).code, 'accepted');
  });

  test('a pool (collaboration) around the one process is accepted and names it; message flows are refused', async () => {
    const pooled = (extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0" modeler:executionPlatform="Camunda Platform">
  <bpmn:collaboration id="Collaboration_1">
    <bpmn:participant id="Participant_1" name="收文办理" processRef="flow-pool"/>
    <bpmn:participant id="Participant_2" name="来文单位"/>
    ${extra}
    <bpmn:group id="g1" categoryValueRef="cv1"/>
  </bpmn:collaboration>
  <bpmn:category id="cat1"><bpmn:categoryValue id="cv1" value="办公室"/></bpmn:category>
  <bpmn:process id="flow-pool" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="办公室"><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s"/><bpmn:userTask id="t" name="登记"/><bpmn:endEvent id="e"/>
    ${flows('s>t', 't>e')}
  </bpmn:process>
</bpmn:definitions>`;
    const model = await compileBpmn(pooled(''));
    assert.equal(model.key, 'flow-pool');
    assert.equal(model.name, '收文办理', 'the pool names a process that has no name of its own');
    const err = await code(
      pooled('<bpmn:messageFlow id="mf1" sourceRef="Participant_2" targetRef="Participant_1"/>'),
    );
    assert.equal(err.code, 'bpmn_unsupported');
    assert.match(err.message, /bpmn:MessageFlow（id=mf1）/);
  });

  test("Flowable/Activiti assignment and multi-instance attributes read like Camunda's, whatever the prefix", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:fl="http://flowable.org/bpmn" xmlns:activiti="http://activiti.org/bpmn" id="d" targetNamespace="http://www.flowable.org/processdef">
  <bpmn:process id="flow-flowable" name="Flowable 文件" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="a" name="办理" fl:assignee="bob"/>
    <bpmn:userTask id="b" name="审核" fl:candidateUsers="carol,dave" fl:candidateGroups="position:p1,unit:u1"/>
    <bpmn:userTask id="c" name="会签" activiti:candidateGroups="role:leader">
      <bpmn:multiInstanceLoopCharacteristics isSequential="true" fl:collection="\${signers}" fl:elementVariable="signer"/>
    </bpmn:userTask>
    <bpmn:endEvent id="e"/>
    ${flows('s>a', 'a>b', 'b>c', 'c>e')}
  </bpmn:process>
</bpmn:definitions>`;
    const model = await compileBpmn(xml);
    const a = model.nodes.get('a');
    const b = model.nodes.get('b');
    const c = model.nodes.get('c');
    assert.ok(a?.kind === 'userTask' && b?.kind === 'userTask' && c?.kind === 'userTask');
    assert.equal(a.assignment.assignee, 'bob');
    assert.deepEqual(b.assignment, {
      assignee: null,
      candidateUsers: 'carol,dave',
      candidateGroups: 'position:p1,unit:u1',
    });
    assert.equal(c.assignment.candidateGroups, 'role:leader');
    assert.deepEqual(
      [c.multi?.collection, c.multi?.elementVariable, c.multi?.sequential],
      [`\${signers}`, 'signer', true],
    );
    // an attribute of the same name in a namespace that is not Flowable's is not an assignment
    const other = xml
      .replace('http://flowable.org/bpmn', 'http://example.com/other')
      .replace('activiti:candidateGroups="role:leader"', '');
    const m2 = await compileBpmn(other.replace(/<bpmn:multiInstanceLoopCharacteristics[^>]*\/>/, ''));
    const a2 = m2.nodes.get('a');
    assert.equal(a2?.kind === 'userTask' ? a2.assignment.assignee : 'x', null);
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
