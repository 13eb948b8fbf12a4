// Uploads a file to Parley's /v1/uploads with the real tus-js-client, as a browser or Node client would.
// Usage: node tus-upload.mjs '<json>' where json is
//   { endpoint, token, file, chunkSize?, retryDelays?, abortAtBytes? }
// abortAtBytes: abort the upload (mid-PATCH) once that many bytes were sent, then resume it with a new Upload
// object on the same URL, as an app restarted after a crash would.
// Prints one JSON line: { ok, url, mediaId, resumedFrom, patches, error? }.
import { readFileSync } from 'node:fs';
import { Upload } from 'tus-js-client';

const options = JSON.parse(process.argv[2]);
const bytes = readFileSync(options.file);
const patchOffsets = [];

function start(uploadUrl, abortAtBytes) {
  return new Promise((resolve, reject) => {
    let aborted = false;
    const upload = new Upload(bytes, {
      endpoint: uploadUrl ? undefined : options.endpoint,
      uploadUrl: uploadUrl ?? undefined,
      headers: { Authorization: `Bearer ${options.token}` },
      metadata: { filename: 'upload.bin', filetype: options.filetype },
      chunkSize: options.chunkSize ?? Infinity,
      retryDelays: options.retryDelays ?? [0, 200, 500, 1000, 2000],
      storeFingerprintForResuming: false,
      onBeforeRequest(req) {
        if (req.getMethod() === 'PATCH') patchOffsets.push(Number(req.getHeader('Upload-Offset')));
      },
      onProgress(sent) {
        if (abortAtBytes !== undefined && !aborted && sent >= abortAtBytes) {
          aborted = true;
          // abort() ends the PATCH in flight: the server keeps what reached it.
          upload.abort().then(() => resolve({ aborted: true, url: upload.url }), reject);
        }
      },
      onSuccess({ lastResponse }) {
        resolve({ aborted: false, url: upload.url, mediaId: lastResponse.getHeader('Parley-Media-Id') ?? null });
      },
      onError: reject,
    });
    upload.start();
  });
}

try {
  let result = await start(undefined, options.abortAtBytes);
  let resumedFrom = null;
  if (result.aborted) {
    const before = patchOffsets.length;
    result = await start(result.url, undefined);
    resumedFrom = patchOffsets[before] ?? null;
  }
  console.log(JSON.stringify({ ok: true, url: result.url, mediaId: result.mediaId, resumedFrom, patches: patchOffsets }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error), patches: patchOffsets }));
  process.exitCode = 1;
}
