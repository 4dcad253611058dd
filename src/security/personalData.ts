import { type DataCipher, dataCipher, isSealed, openText, sealText } from './crypto.ts';

/**
 * Personal information (个人信息保护法; 等保 2.0 个人信息保护): applicants' ID numbers and phone numbers are stored
 * only encrypted (SM4), looked up through a blind index, and shown masked everywhere except the handler's view.
 */

/** Encrypt a personal value for storage; null stays null. */
export function encryptPersonal(value: string | null | undefined, cipher?: DataCipher): string | null {
  if (value === null || value === undefined) return null;
  return sealText(value, cipher ?? dataCipher());
}

/**
 * Decrypt a stored personal value. A value stored before encryption was introduced (no `enc:` prefix) is
 * returned as it is, so old rows stay readable until they are rewritten.
 */
export function decryptPersonal(stored: string | null | undefined, cipher?: DataCipher): string | null {
  if (stored === null || stored === undefined) return null;
  if (!isSealed(stored)) return stored;
  return openText(stored, cipher ?? dataCipher());
}

/** A keyed digest of a normalised value, for "find the request with this ID number" without clear text. */
export function personalIndex(value: string, cipher?: DataCipher): string {
  return (cipher ?? dataCipher()).blindIndex(value.replace(/\s+/g, '').toUpperCase());
}

// The masks are the platform's one rule (rules.md §7), kept in masks.ts; re-exported for existing importers.
export { maskIdNumber, maskName, maskPhone } from './masks.ts';
