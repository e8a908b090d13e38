export * from './access';
export * from './api';
export * from './audit-actions';
export * from './errors';
export * from './rights';
export * from './routes';
export * from './tickets';
export * from './mail';
