export * from './api';
export * from './errors';
export * from './events';
export * from './models';
export * from './schemas';
export * from './client';
export * from './wire';
export * from './main-api';
