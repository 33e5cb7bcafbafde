// The entry of a validation worker thread. Node 20 does not carry the parent's `--import tsx`
// hooks into worker threads, so the TypeScript worker is loaded through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./validate-worker.ts', import.meta.url);
