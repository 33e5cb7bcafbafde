import { writeFileSync } from 'node:fs';
import { API_REFERENCE_FILE, apiReferenceMarkdown } from './api-reference.ts';

// `npm run api:doc -w @edu/streamer`: writes docs/api-reference.md from the routes.
writeFileSync(API_REFERENCE_FILE, await apiReferenceMarkdown());
console.log(`wrote ${API_REFERENCE_FILE}`);
