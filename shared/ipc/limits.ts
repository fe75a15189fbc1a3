/** Limits both sides agree on, in a file of its own so the renderer does not pull in the schema library for them. */

/** Sent inputs remembered in the send box's history. */
export const HISTORY_LIMIT = 50;
