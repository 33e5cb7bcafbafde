import { ApiFailure } from '../api/client.ts';
import { reasonText } from '../lib/errors.ts';

// The console shows the server's reason for a refusal (a 403 says *why*: not a leader, not
// your district, not your dimension) in Chinese, chosen by the refusal's machine code and the
// names its body carries (lib/errors.ts), never by the wording of its English sentence.

/** A failed call as one Chinese sentence. */
export function failureText(e: unknown): string {
  if (!(e instanceof ApiFailure)) return '无法连接服务器';
  return reasonText(e.code, e.status, e.body);
}
