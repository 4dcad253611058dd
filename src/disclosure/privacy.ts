// Personal data in content to be published (rules.md §7; 个人信息保护法 Art. 25, 51, 55): 18-digit resident ID
// numbers (GB 11643, with their check digit), mainland mobile numbers, and bank card numbers (Luhn). The scanner
// and the masks live in src/security/masks.ts, the platform's one masking rule; this module keeps the names the
// disclosure code imports.
export {
  type FindingKind,
  findingNames,
  idCheckCharacter,
  isValidIdNumber,
  luhnValid,
  maskBankCard,
  maskIdNumber,
  maskMobile,
  maskText,
  type PrivacyFinding,
  scanText,
} from '../security/masks.ts';
