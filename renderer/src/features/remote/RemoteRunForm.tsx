/** A form for one command's parameters: checked here as the server will (pattern, range), then Run. */
import { useState, type FormEvent } from 'react';
import type { OfferedCommand, OfferedParam } from '../../../../shared/ipc/remote.ts';
import { useT } from '../../i18n/index.ts';
import { useApp } from '../../store/appStore.ts';
import { Button } from '../../ui/controls.tsx';

export function RemoteRunForm(props: { command: OfferedCommand }) {
  const t = useT();
  const { command } = props;
  const run = useApp((s) => s.runRemoteCommand);
  const running = useApp((s) => s.remoteRun !== null && s.remoteRun.end === null);
  /** get-file lands in the Transfers tool's receive folder. */
  const receiveFolder = useApp((s) => s.receive.folder);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(command.params.map((p) => [p.name, p.type === 'enum' ? (p.values[0] ?? '') : ''])),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(command.name, command.params.map((p) => [p.name, values[p.name] ?? '']));
  };
  return (
    <form className="remote-form" onSubmit={submit} data-testid="remote-form">
      {command.params.map((param) => (
        <label key={param.name} className="field">
          <span className="field-label">
            {param.name}
            {param.description && <span className="remote-param-description"> — {param.description}</span>}
          </span>
          <ParamInput param={param} value={values[param.name] ?? ''} onChange={(value) => setValues({ ...values, [param.name]: value })} />
          <span className="remote-meta">{hint(t, param)}</span>
        </label>
      ))}
      {command.builtin && command.name === 'get-file' && (
        <span className="remote-meta" data-testid="remote-get-lands">
          {t('remote.getLands', { folder: receiveFolder })}
        </span>
      )}
      <Button type="submit" variant="primary" size="sm" disabled={running} data-testid="remote-run">
        {t('remote.run')} {command.name}
      </Button>
    </form>
  );
}

function ParamInput(props: { param: OfferedParam; value: string; onChange(value: string): void }) {
  const { param } = props;
  const testId = `remote-param-${param.name}`;
  if (param.type === 'enum') {
    return (
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={testId}>
        {param.values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    );
  }
  if (param.type === 'integer') {
    return <input type="number" min={param.min} max={param.max} step={1} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={testId} />;
  }
  return (
    <input
      value={props.value}
      maxLength={param.type === 'string' ? param.maxLength : 4096}
      onChange={(e) => props.onChange(e.target.value)}
      spellCheck={false}
      data-testid={testId}
    />
  );
}

function hint(t: ReturnType<typeof useT>, param: OfferedParam): string {
  switch (param.type) {
    case 'string':
      return t('remote.param.string', { pattern: `/${param.pattern}/`, max: param.maxLength });
    case 'integer':
      return t('remote.param.integer', { min: param.min, max: param.max });
    case 'enum':
      return t('remote.param.enum');
    case 'file':
      return t('remote.param.file');
  }
}
