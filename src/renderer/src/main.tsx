import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import i18n from './i18n';
import { warmFirstRows } from './lib/warm-up';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// While the first inbox page is on its way (the render above only asks for it).
setTimeout(() => warmFirstRows(i18n), 0);
