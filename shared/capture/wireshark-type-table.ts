/**
 * The TYPE names block of docs/wireshark/msp.lua, made from shared/msp/type-names.ts. The
 * dissector carries it between two marker lines; `npm run gen:wireshark` rewrites it and a
 * unit test fails when the file and the map disagree.
 */
import { MSP_TYPE_NAMES, SERVICE_RANGE_NAMES } from '../msp/type-names.ts';

export const LUA_BLOCK_BEGIN = '-- BEGIN GENERATED TYPE NAMES (from shared/msp/type-names.ts: npm run gen:wireshark)';
export const LUA_BLOCK_END = '-- END GENERATED TYPE NAMES';

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

export function luaTypeNamesBlock(): string {
  const names = [...MSP_TYPE_NAMES].map(([type, name]) => `  [${hex(type)}] = "${name}",`);
  const ranges = SERVICE_RANGE_NAMES.map(([lo, hi, name]) => `  { ${hex(lo)}, ${hex(hi)}, "${name}" },`);
  return [LUA_BLOCK_BEGIN, 'local type_names = {', ...names, '}', 'local type_ranges = {', ...ranges, '}', LUA_BLOCK_END].join('\n');
}

/** The dissector's text with its block replaced by the current one (or undefined when the markers are missing). */
export function withCurrentTypeNames(lua: string): string | undefined {
  const begin = lua.indexOf(LUA_BLOCK_BEGIN);
  const end = lua.indexOf(LUA_BLOCK_END);
  if (begin < 0 || end < begin) return undefined;
  return lua.slice(0, begin) + luaTypeNamesBlock() + lua.slice(end + LUA_BLOCK_END.length);
}
