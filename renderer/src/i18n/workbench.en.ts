/** English text of the tool rail (spread into en.ts). Each tool's label lives here, in rail order. */
export const workbenchEn = {
  'tool.rail': 'Tools',
  'tool.connection': 'Connection',
};
