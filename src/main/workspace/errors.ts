/** Maps Node file-system errors to API error codes; the message names the relative path only. */
import { ApiException, fail } from '../../shared/api/errors';

export function fsError(e: unknown, rel: string): ApiException {
  if (e instanceof ApiException) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return fail('E_NOT_FOUND', `${rel || 'the workspace'} does not exist`);
    case 'EEXIST': return fail('E_EXISTS', `${rel} already exists`);
    case 'ENOTDIR': return fail('E_NOT_DIRECTORY', `a component of ${rel} is not a folder`);
    case 'EISDIR': return fail('E_NOT_FILE', `${rel} is a folder`);
    case 'ENOTEMPTY': return fail('E_NOT_EMPTY', `${rel} is not empty`);
    case 'EFBIG': return fail('E_TOO_LARGE', `${rel} is too large`);
    default: return fail('E_IO', `${rel}: ${code ?? 'error'}: ${(e as Error)?.message?.replace(/^[A-Z]+: /, '') ?? String(e)}`);
  }
}
