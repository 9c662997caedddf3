import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { SessionProvider } from '@platform/web';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';
import './i18n';
import { theme } from './theme';

/** Self-service needs no API scope: the /api/v1/me routes of both services take the user's own token. */
const NO_API_SCOPES: readonly string[] = [];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <SessionProvider apiScopes={NO_API_SCOPES}>
        <BrowserRouter basename="/account">
          <App />
        </BrowserRouter>
      </SessionProvider>
    </MantineProvider>
  </StrictMode>,
);
