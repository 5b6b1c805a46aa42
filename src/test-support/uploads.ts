/**
 * Multipart uploads through `app.inject`, exactly as a browser's FormData sends them: for the
 * drawing, photo and voice note tests.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp, TestClient } from './test-app.ts';

export interface Upload {
  bytes: Buffer;
  name: string;
  type: string;
}

export async function multipart(fields: Record<string, string>, files: Upload[] = []) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files)
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? '',
  };
}

export async function postUpload(
  t: Pick<TestApp, 'app'>,
  client: TestClient,
  url: string,
  fields: Record<string, string>,
  files: Upload[] = [],
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = await multipart(fields, files);
  return t.app.inject({
    method: 'POST',
    url,
    cookies: Object.fromEntries(client.cookies),
    headers: { 'content-type': contentType, ...headers },
    payload,
    remoteAddress: client.ip,
  });
}
