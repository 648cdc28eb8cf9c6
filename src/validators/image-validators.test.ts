import { validates } from '../../test/helpers/bytes-input.ts';
import { gif, jpeg, png } from './image-validators.ts';

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const PNG_1PX = bytes(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
);
const GIF_1PX = bytes('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const TEXT = new TextEncoder().encode('>seq\nMKV\n');
const whichAccept = (bytes: Uint8Array) => Promise.all([png, gif, jpeg].map((check) => validates(check, bytes)));

describe('image validators', () => {
  it('accepts each image type and only that type', async () => {
    expect(await whichAccept(PNG_1PX)).toEqual([true, false, false]);
    expect(await whichAccept(GIF_1PX)).toEqual([false, true, false]);
    expect(await whichAccept(JPEG_HEAD)).toEqual([false, false, true]);
  });

  it('accepts both GIF versions', async () => {
    expect(await validates(gif, new TextEncoder().encode('GIF87a....'))).toBe(true);
  });

  it('refuses text, empty and truncated data without throwing', async () => {
    for (const check of [png, gif, jpeg]) {
      expect(await validates(check, TEXT)).toBe(false);
      expect(await validates(check, new Uint8Array())).toBe(false);
      expect(await validates(check, PNG_1PX.slice(0, 4))).toBe(false);
    }
  });
});
