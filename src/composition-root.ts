/**
 * The composition root's one entry: the app, the server and tests import it from here. Each
 * group of repositories and services is built in its own file under src/composition/.
 */
export { buildDependencies, type Dependencies } from './composition/dependencies.ts';
export { backgroundJobs } from './composition/jobs.ts';
