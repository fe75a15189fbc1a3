/**
 * Resolves on Ctrl+C (SIGINT) or SIGTERM. Call it before printing the line a script
 * waits for ("listening", "open"): a signal that arrives before Node has a listener
 * kills the process outright, so a script that reacts fast would see no clean exit.
 */
export function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
