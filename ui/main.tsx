// The dashboard's entry point (bundled by scripts/build-ui.mjs into dist/ui/app.js and app.css).
import { render } from 'preact';
import { App } from './app.js';
import { applyStoredTheme } from './theme.js';
import './style.css';
import './style-content.css';

applyStoredTheme();
render(<App />, document.getElementById('app')!);
