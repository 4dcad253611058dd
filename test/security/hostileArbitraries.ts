import fc from 'fast-check';

// The hostile inputs both property-test files draw from (issue 7 item 9; 等保 2.0 入侵防范): overlong strings,
// control characters, mixed scripts, injection-shaped text and arbitrary code units.

export const runs = { numRuns: 100_000 };

const control = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\r\n',
  '\t',
  '\ud800',
);
const scripts = fc.constantFrom(
  '政府信息公开',
  'Ελληνικά',
  'русский',
  'العربية',
  '𠀀𪚥',
  '😀👨‍👩‍👧',
  'ｆｕｌｌ',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '../../etc/passwd',
  `\${jndi:ldap://x}`,
  '{{7*7}}',
  '%00',
  '\\u0000',
);
/** Overlong, control characters, mixed scripts, and arbitrary code units. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.oneof(control, scripts, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 16 })
    .map((a) => a.join('')),
  fc.integer({ min: 0, max: 12_000 }).map((n) => '长'.repeat(n)),
);
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
