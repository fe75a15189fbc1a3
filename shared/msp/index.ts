export * from './constants.ts';
export * from './types.ts';
export * from './crc.ts';
export * from './text.ts';
export * from './hex.ts';
export * from './encode.ts';
export * from './parse.ts';
export * from './decoder.ts';
