/**
 * put-file: pick a local file, name it as the server will keep it, send it. The file goes by
 * MSP file transfer (it shows in the Transfers list too) into the server's shared folder; the
 * server checks the name and the size cap again, whatever this form lets through.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { OfferedCommand } from '../../../../shared/ipc/remote.ts';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';
import { formatBytes } from '../../ui/format.ts';
import { UploadIcon } from '../../ui/icons.tsx';

export function RemotePutForm(props: { command: OfferedCommand }) {
  const t = useT();
  const put = useApp((s) => s.putRemoteFile);
  const running = useApp((s) => s.remoteRun !== null && s.remoteRun.end === null);
  const picker = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const size = props.command.params.find((p) => p.name === 'size');
  const cap = size?.type === 'integer' ? size.max : undefined;
  const tooBig = file !== null && cap !== undefined && file.size > cap;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file && !tooBig) void put(file, name.trim() || file.name);
  };
  return (
    <form className="remote-form" onSubmit={submit} data-testid="remote-put-form">
      <input
        ref={picker}
        type="file"
        hidden
        data-testid="remote-put-input"
        onChange={(e) => {
          const chosen = e.target.files?.[0] ?? null;
          setFile(chosen);
          if (chosen) setName(chosen.name);
          e.target.value = '';
        }}
      />
      <div className="remote-file-actions">
        <Button type="button" size="sm" icon={<UploadIcon />} onClick={() => picker.current?.click()} data-testid="remote-put-pick">
          {t('remote.putPick')}
        </Button>
        {file && (
          <span className="remote-meta" data-testid="remote-put-chosen">
            {file.name} · {formatBytes(file.size)}
          </span>
        )}
      </div>
      <label className="field">
        <span className="field-label">{t('remote.putName')}</span>
        <input value={name} maxLength={1024} spellCheck={false} onChange={(e) => setName(e.target.value)} data-testid="remote-param-name" />
        <span className="remote-meta">{cap !== undefined ? t('remote.putHint', { bytes: formatBytes(cap) }) : t('remote.putHintNoCap')}</span>
      </label>
      {tooBig && (
        <p className="inline-error" role="alert" data-testid="remote-put-too-big">
          {t('remote.putTooBig', { bytes: formatBytes(cap ?? 0) })}
        </p>
      )}
      <Button type="submit" variant="primary" size="sm" disabled={running || !file || tooBig} data-testid="remote-run">
        {t('remote.putRun')}
      </Button>
    </form>
  );
}
