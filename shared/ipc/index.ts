export * from '../result.ts';
export * from './schemas.ts';
export * from './serial.ts';
export * from './security.ts';
export * from './types.ts';
export * from './trafficBytes.ts';
export * from './contract.ts';
export * from './api.ts';
