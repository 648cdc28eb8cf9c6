import { multipartText } from './multipart-text.ts';

const latin1 = (bytes: number[]) => Buffer.from(bytes).toString('latin1');

describe('multipart text', () => {
  it('decodes the bytes of a part without a charset strictly as UTF-8', () => {
    expect(multipartText(latin1([0x63, 0x61, 0x66, 0xc3, 0xa9]))).toEqual({ text: 'café' });
    expect(multipartText('plain ascii')).toEqual({ text: 'plain ascii' });
  });

  it('refuses bytes that are not UTF-8 and a NUL', () => {
    expect(multipartText(latin1([0x61, 0xff]))).toEqual({ problem: 'is not valid UTF-8' });
    expect(multipartText(latin1([0x61, 0xed, 0xb3, 0xbf]))).toEqual({ problem: 'is not valid UTF-8' });
    expect(multipartText('a\u0000b')).toEqual({ problem: expect.stringMatching(/NUL/) });
  });

  it('keeps text a part decoded from its own declared charset', () => {
    expect(multipartText('café', false)).toEqual({ text: 'café' });
    expect(multipartText('a\u0000', false)).toEqual({ problem: expect.stringMatching(/NUL/) });
  });
});
