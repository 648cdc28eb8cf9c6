import type { PrefixValidator } from './validator.ts';

/** A validator that needs only the file's first bytes: its magic number. */
function magic(...signatures: (readonly number[])[]): PrefixValidator {
  const check = (bytes: Uint8Array) =>
    signatures.some((magic) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b));
  return Object.assign(check, { maxBytes: Math.max(...signatures.map((s) => s.length)) });
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87A = [...'GIF87a'].map((ch) => ch.charCodeAt(0));
const GIF89A = [...'GIF89a'].map((ch) => ch.charCodeAt(0));
// Every JPEG starts with SOI (FF D8) followed by a marker; imghdr accepted JFIF, Exif and raw.
const JPEG = [0xff, 0xd8, 0xff];

export const png = magic(PNG);
export const gif = magic(GIF87A, GIF89A);
export const jpeg = magic(JPEG);
