import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  getCiphers,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SecurityConfig, securityConfig } from './config.ts';

/**
 * Encryption of data at rest (等保 2.0 数据保密性 / 个人信息保护). The provider is pluggable: a deployment
 * with a hardware crypto module (密码机) implements `DataCipher` and installs it with `setDataCipher` at start.
 */
export interface DataCipher {
  /** Stored in front of every ciphertext, so a new provider can still tell (and refuse) old data. */
  readonly id: string;
  encrypt(plain: Buffer): Buffer;
  /** Throws when the data was altered or was made with another key. */
  decrypt(sealed: Buffer): Buffer;
  /** A keyed, deterministic digest for exact-match lookups (blind index) without storing the clear value. */
  blindIndex(value: string): string;
}

export class DecryptionError extends Error {
  constructor(message = 'decryption failed: the data was altered or was encrypted with another key') {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Node's OpenSSL builds offer SM4 (GB/T 32907) but, here, not SM4-GCM: CBC plus an HMAC-SM3 tag is used. */
export function sm4Available(): boolean {
  return getCiphers().includes('sm4-cbc');
}

/**
 * SM4-CBC with a random IV, then HMAC-SM3 (GB/T 32905) over version ‖ IV ‖ ciphertext (encrypt-then-MAC), so
 * tampering is detected before anything is decrypted (数据完整性). The two keys are derived from one 32-byte
 * master key, so an operator handles one secret.
 */
export class Sm4Cipher implements DataCipher {
  readonly id = 'sm4-cbc-hmac-sm3.v1';
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;
  readonly #indexKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the data key must be 32 bytes');
    if (!sm4Available()) throw new Error('this Node.js build has no SM4 (OpenSSL without sm4-cbc)');
    const derive = (label: string) => createHmac('sm3', masterKey).update(label).digest();
    this.#encKey = derive('gongkai/sm4/enc').subarray(0, 16);
    this.#macKey = derive('gongkai/hmac-sm3/mac');
    this.#indexKey = derive('gongkai/hmac-sm3/index');
  }

  encrypt(plain: Buffer): Buffer {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-cbc', this.#encKey, iv);
    const body = Buffer.concat([Buffer.from([1]), iv, cipher.update(plain), cipher.final()]);
    const tag = createHmac('sm3', this.#macKey).update(body).digest();
    return Buffer.concat([body, tag]);
  }

  decrypt(sealed: Buffer): Buffer {
    if (sealed.length < 1 + 16 + 16 + 32 || sealed[0] !== 1) throw new DecryptionError();
    const body = sealed.subarray(0, sealed.length - 32);
    const tag = sealed.subarray(sealed.length - 32);
    const expected = createHmac('sm3', this.#macKey).update(body).digest();
    if (!timingSafeEqual(tag, expected)) throw new DecryptionError();
    const decipher = createDecipheriv('sm4-cbc', this.#encKey, body.subarray(1, 17));
    return Buffer.concat([decipher.update(body.subarray(17)), decipher.final()]);
  }

  blindIndex(value: string): string {
    return createHmac('sm3', this.#indexKey).update(value.normalize('NFKC')).digest('hex');
  }
}

/** The raw SM4 block function (ECB, one block, no padding): used by the GB/T 32907 known-answer test. */
export function sm4EncryptBlock(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv('sm4-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${where}: the data key must be 32 bytes (64 hex digits or base64)`);
  return key;
}

/**
 * The master key: GONGKAI_DATA_KEY, else the file GONGKAI_DATA_KEY_FILE (default data/gongkai-data.key). On a
 * first start with neither, a key is generated into the file (mode 0600) and a warning says to back it up
 * apart from the database: a backup without its key cannot be read, and a key kept beside it protects nothing.
 */
export function loadDataKey(
  config: Pick<SecurityConfig, 'dataKey' | 'dataKeyFile'> = securityConfig(),
  warn: (message: string) => void = (m) => process.emitWarning(m),
): Buffer {
  if (config.dataKey) return parseKey(config.dataKey, 'GONGKAI_DATA_KEY');
  if (existsSync(config.dataKeyFile))
    return parseKey(readFileSync(config.dataKeyFile, 'utf8'), config.dataKeyFile);
  const key = randomBytes(32);
  mkdirSync(dirname(config.dataKeyFile), { recursive: true });
  writeFileSync(config.dataKeyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(config.dataKeyFile, 0o600);
  warn(
    `generated a new data key in ${config.dataKeyFile}: back it up separately from the database ` +
      '(set GONGKAI_DATA_KEY or GONGKAI_DATA_KEY_FILE to use a key kept elsewhere)',
  );
  return key;
}

let current: DataCipher | undefined;

/** The installed provider; by default SM4 with the configured key, loaded on first use. */
export function dataCipher(): DataCipher {
  current ??= new Sm4Cipher(loadDataKey());
  return current;
}

/** Install another provider (a crypto module, or a test key). */
export function setDataCipher(cipher: DataCipher): void {
  current = cipher;
}

const prefix = 'enc:';

/** Encrypt a text for a database column: `enc:<provider id>:<base64>`. */
export function sealText(plain: string, cipher: DataCipher = dataCipher()): string {
  return `${prefix}${cipher.id}:${cipher.encrypt(Buffer.from(plain, 'utf8')).toString('base64')}`;
}

export function isSealed(value: string): boolean {
  return value.startsWith(prefix);
}

export function openText(sealed: string, cipher: DataCipher = dataCipher()): string {
  if (!isSealed(sealed)) throw new DecryptionError('not an encrypted value');
  const rest = sealed.slice(prefix.length);
  const sep = rest.lastIndexOf(':');
  if (sep < 0 || rest.slice(0, sep) !== cipher.id) throw new DecryptionError('encrypted by another provider');
  return cipher.decrypt(Buffer.from(rest.slice(sep + 1), 'base64')).toString('utf8');
}
