/** Ctrl+1 .. Ctrl+9 (Cmd on a Mac) sends the saved packet with that shortcut, wherever the focus is. */
import { useEffect } from 'react';
import { appStore } from '../../store/appStore.ts';

export function PacketShortcuts() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || !/^Digit[1-9]$/.test(event.code)) return;
      const key = Number(event.code.slice(5));
      const state = appStore.getState();
      const packet = state.library.packets.find((p) => p.key === key);
      if (!packet) return;
      event.preventDefault();
      void state.sendSaved(packet.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return null;
}
