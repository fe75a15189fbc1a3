/** The Windows firewall rule that lets other computers reach a server listening on all interfaces. */

export function firewallRuleCommand(port: number): string {
  return (
    `netsh advfirewall firewall add rule name="MSP Workbench (TCP ${port})" ` +
    `dir=in action=allow protocol=TCP localport=${port} profile=private,domain`
  );
}

/** Only Windows needs the hint, and only when other computers are meant to connect. */
export function needsFirewallHint(platform: string, bind: string): boolean {
  return platform === 'win32' && bind === '0.0.0.0';
}

export const FIREWALL_HELP_URL =
  'https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/configure';
