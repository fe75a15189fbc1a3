/** On Windows, listening on all interfaces: how to let other computers through the firewall. */
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { CopyIcon, LinkOutIcon, ShieldIcon } from '../../ui/icons.tsx';
import { FIREWALL_HELP_URL, firewallRuleCommand } from './firewall.ts';

export function FirewallHint({ port }: { port: number }) {
  const t = useT();
  const copyText = useApp((s) => s.copyText);
  const openExternal = useApp((s) => s.openExternal);
  const command = firewallRuleCommand(port);
  return (
    <div className="callout callout-info" data-testid="firewall-hint">
      <div className="callout-title">
        <ShieldIcon />
        {t('firewall.title')}
      </div>
      {port === 0 ? (
        <p>{t('firewall.pickPort')}</p>
      ) : (
        <>
          <p>{t('firewall.body', { port })}</p>
          <code className="command" data-testid="firewall-command">{command}</code>
          <div className="callout-actions">
            <Button size="sm" icon={<CopyIcon />} onClick={() => void copyText(command, t('firewall.copied'))}>
              {t('firewall.copy')}
            </Button>
            <Button size="sm" variant="ghost" icon={<LinkOutIcon />} onClick={() => void openExternal(FIREWALL_HELP_URL)}>
              {t('firewall.learnMore')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
