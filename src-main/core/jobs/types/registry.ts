/**
 * The job types built into Groundwork: each a file beside this one implementing `JobType`
 * (../job-type.ts). The scheduler knows types only through this list (plus, in tests, the types
 * `createCore({ jobTypes })` adds), so a new type is a new file and a line here.
 */
import type { JobType } from '../job-type';

export const builtInJobTypes: readonly JobType[] = [];
