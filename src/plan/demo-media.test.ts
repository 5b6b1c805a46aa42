import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { demoMedia } from './demo-media.ts';
import { audioTypeOf } from './media-processing.ts';

describe('the demo plan’s drawing, photo and voice note', () => {
  it('are a real PNG drawing, a real JPEG photo and an Ogg voice note, each accepted as an upload', async () => {
    const media = await demoMedia();
    const drawing = await sharp(media.drawing.bytes).metadata();
    expect([drawing.format, drawing.width, drawing.height]).toEqual(['png', 480, 320]);
    const photo = await sharp(media.photo.bytes).metadata();
    expect([photo.format, photo.width, photo.height]).toEqual(['jpeg', 640, 480]);
    expect(media.voice.contentType).toBe('audio/ogg');
    expect(audioTypeOf(media.voice.bytes)).toBe('audio/ogg');
    // Not a blank picture: the drawing has more than one colour in it.
    const { channels } = await sharp(media.drawing.bytes).stats();
    expect(channels.some((c) => c.min < 100)).toBe(true);
  });
});
