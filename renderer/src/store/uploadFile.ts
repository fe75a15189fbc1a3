/**
 * Hands a dropped or picked file to main (the Transfers and X/Y/ZMODEM tools alike): the
 * renderer reads its File in 512 KiB pieces and sends each as base64, one awaited at a time,
 * so memory stays bounded. Main stages it; the caller then says what to do with the uploadId.
 */
import type { MspApi } from '../../../shared/ipc/api.ts';
import { UPLOAD_CHUNK_BYTES } from '../../../shared/ipc/transfer.ts';
import type { AppError, Result } from '../../../shared/result.ts';

export async function uploadFile(api: MspApi, file: File): Promise<Result<string, AppError>> {
  const started = await api.transfer.uploadStart({ name: file.name, size: file.size });
  if (!started.ok) return started;
  const { uploadId } = started.value;
  for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    const sent = await api.transfer.uploadChunk({ uploadId, offset, data: toBase64(bytes) });
    if (!sent.ok) return sent;
  }
  return { ok: true, value: uploadId };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
