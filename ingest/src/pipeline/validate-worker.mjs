// The entry of a validation worker thread. Node 20 does not carry the parent's `--import tsx`
// hooks into worker threads, so the TypeScript worker is loaded through tsx's API; piscina
// calls the default export.
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./validate-worker.ts', import.meta.url);

export default worker.default;
