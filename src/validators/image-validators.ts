import type { Validator } from './validator.ts';

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87A = [...'GIF87a'].map((ch) => ch.charCodeAt(0));
const GIF89A = [...'GIF89a'].map((ch) => ch.charCodeAt(0));
// Every JPEG starts with SOI (FF D8) followed by a marker; imghdr accepted JFIF, Exif and raw.
const JPEG = [0xff, 0xd8, 0xff];

export const png: Validator = (bytes) => startsWith(bytes, PNG);
export const gif: Validator = (bytes) => startsWith(bytes, GIF87A) || startsWith(bytes, GIF89A);
export const jpeg: Validator = (bytes) => startsWith(bytes, JPEG);
