/** The few line icons the UI uses (24×24 strokes), drawn inline so no asset or font is loaded. */
import type { ReactNode, SVGProps } from 'react';

function Svg({ children, ...props }: SVGProps<SVGSVGElement> & { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
      {children}
    </svg>
  );
}

export const PlugIcon = () => <Svg><path d="M9 2v6M15 2v6M6 8h12v4a6 6 0 0 1-12 0V8zM12 18v4" /></Svg>;
export const ServerIcon = () => <Svg><rect x="3" y="4" width="18" height="7" rx="2" /><rect x="3" y="13" width="18" height="7" rx="2" /><path d="M7 7.5h.01M7 16.5h.01" /></Svg>;
export const StopIcon = () => <Svg><rect x="6" y="6" width="12" height="12" rx="2" /></Svg>;
export const SendIcon = () => <Svg><path d="M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z" /></Svg>;
export const TrashIcon = () => <Svg><path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" /></Svg>;
export const DownloadIcon = () => <Svg><path d="M12 3v12M7 10l5 5 5-5M4 21h16" /></Svg>;
export const CopyIcon = () => <Svg><rect x="9" y="9" width="12" height="12" rx="2" /><path d="M5 15V5a2 2 0 0 1 2-2h10" /></Svg>;
export const SearchIcon = () => <Svg><circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" /></Svg>;
export const ArrowDownIcon = () => <Svg><path d="M12 5v14M5 12l7 7 7-7" /></Svg>;
/** Saved packets: a stack of frames. */
export const PacketsIcon = () => <Svg><rect x="3" y="4" width="18" height="5" rx="1.5" /><rect x="3" y="11" width="18" height="5" rx="1.5" /><path d="M7 20h10" /></Svg>;
export const PencilIcon = () => <Svg><path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" /></Svg>;
export const CloseIcon = () => <Svg><path d="M18 6 6 18M6 6l12 12" /></Svg>;
export const AlertIcon = () => <Svg><path d="M12 3 2 21h20L12 3zM12 10v5M12 18h.01" /></Svg>;
export const ShieldIcon = () => <Svg><path d="M12 2 4 5v6c0 5 3.5 9.5 8 11 4.5-1.5 8-6 8-11V5l-8-3z" /></Svg>;
export const BroadcastIcon = () => <Svg><circle cx="12" cy="12" r="2" /><path d="M16.2 7.8a6 6 0 0 1 0 8.4M7.8 16.2a6 6 0 0 1 0-8.4M19.1 4.9a10 10 0 0 1 0 14.2M4.9 19.1a10 10 0 0 1 0-14.2" /></Svg>;
export const AutomationIcon = () => <Svg><path d="M4 6h10M4 12h6M4 18h10M17 4l3 3-3 3M17 14l3 3-3 3" /></Svg>;
export const TransferIcon = () => <Svg><path d="M7 17V4M3 8l4-4 4 4M17 7v13M13 16l4 4 4-4" /></Svg>;
export const TerminalIcon = () => <Svg><rect x="3" y="4" width="18" height="16" rx="2" /><path d="m7 9 3 3-3 3M13 15h4" /></Svg>;
/** X/Y/ZMODEM: a file going down a serial line (a connector with a tail). */
export const ModemIcon = () => <Svg><path d="M5 3h10l4 4v6H5z" /><path d="M15 3v4h4M8 17h8l-1.5 4h-5zM12 13v4" /></Svg>;
export const LinkOutIcon = () => <Svg><path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" /></Svg>;

/** The app's mark: the SYNC bytes in a rounded square. */
export function AppMark() {
  return (
    <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true" className="app-mark">
      <rect x="1" y="1" width="30" height="30" rx="8" className="app-mark-bg" />
      <text x="16" y="20.5" textAnchor="middle" className="app-mark-text">AA55</text>
    </svg>
  );
}
export const UploadIcon = () => <Svg><path d="M12 21V9M7 14l5-5 5 5M4 3h16" /></Svg>;
export const RecordIcon = () => <Svg><circle cx="12" cy="12" r="6" fill="currentColor" /></Svg>;
/** The Captures tool: a waveform in a frame (packets over time). */
export const CaptureIcon = () => <Svg><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M6 12h2l2-4 3 8 2-4h3" /></Svg>;
export const ReplayIcon = () => <Svg><path d="M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5" /><path d="m10 9 5 3-5 3z" /></Svg>;
