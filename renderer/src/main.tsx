import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { appStore } from './store/appStore.ts';
import { bindIpc } from './store/bindIpc.ts';
import './styles/app.css';

bindIpc(appStore, window.msp);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
