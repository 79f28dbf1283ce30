// Component tests: English strings, and the DOM cleaned after each test.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';
import i18n from '../../../src/renderer/src/i18n';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => cleanup());
