/** Small controls shared by every panel. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'sm' | 'md';
  icon?: ReactNode;
};

export function Button({ variant = 'secondary', size = 'md', icon, children, className, ...rest }: ButtonProps) {
  return (
    <button type="button" className={`btn btn-${variant} btn-${size} ${className ?? ''}`} {...rest}>
      {icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  );
}

export interface SegmentOption<T extends string> {
  value: T;
  label: string;
  title?: string;
}

/** A row of mutually exclusive choices (a radio group that looks like buttons). */
export function Segmented<T extends string>(props: {
  label: string;
  value: T;
  options: SegmentOption<T>[];
  onChange(value: T): void;
  disabled?: boolean;
  size?: 'sm' | 'md';
  testId?: string;
}) {
  return (
    <div className={`segmented segmented-${props.size ?? 'md'}`} role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="radio"
          aria-checked={option.value === props.value}
          title={option.title}
          disabled={props.disabled}
          className="segment"
          onClick={() => props.onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

export function Switch(props: { label: string; checked: boolean; onChange(on: boolean): void; title?: string; testId?: string }) {
  return (
    <label className="switch-label" title={props.title}>
      <button
        type="button"
        role="switch"
        aria-checked={props.checked}
        className="switch"
        data-testid={props.testId}
        onClick={() => props.onChange(!props.checked)}
      >
        <span className="switch-thumb" />
      </button>
      <span>{props.label}</span>
    </label>
  );
}

/** A titled card in the sidebar. */
export function Panel(props: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="panel" data-testid={props.testId} aria-label={props.title}>
      <header className="panel-header">
        <h2>{props.title}</h2>
        {props.aside}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}
