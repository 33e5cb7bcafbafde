import { ApiFailure } from '../api/client.ts';
import { useSession } from '../state/session.ts';

// Report downloads (经费报表, 公示材料清单, the materials' zip) sit behind the bearer token, which a
// plain link cannot send: the file is fetched with the token and handed to the browser as a blob.

export async function downloadCsv(path: string, filename: string): Promise<void> {
  const token = useSession.getState().token;
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new ApiFailure(res.status, body.code ?? 'error', body.error ?? `HTTP ${res.status}`, body);
  }
  saveBlob(await res.blob(), filename);
}

/** Hands a file made in the page (an exported table) to the browser's downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  try {
    saveAs(url, filename);
  } finally {
    // Revoked after the click has been handled, not before the browser has started the save.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

function saveAs(href: string, filename: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * A published material's file, only if it is an http(s) address: file_url comes from the
 * schools' systems, and a `javascript:` URL must never become a link.
 */
export function safeUrl(url: string): string | null {
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
