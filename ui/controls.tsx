// The clock, the active faults, the rate-limit counters and the switches (issue 11). Each panel is
// one entry of PANELS: the server reports which it has (overview.panels); one without a component
// here, or that the server lacks, says so. Nothing here pretends to work before it does.
import type { ComponentType } from 'preact';
import type { Overview } from './api.js';

type PanelKey = keyof Overview['panels'];

interface PanelSpec {
  key: Exclude<PanelKey, 'journal'>;
  title: string;
  /** the panel's view and control; added when the server side lands */
  component?: ComponentType<{ refresh: () => void }>;
}

export const PANELS: PanelSpec[] = [
  { key: 'clock', title: 'Clock' },
  { key: 'faults', title: 'Faults' },
  { key: 'rate_limit', title: 'Rate limits' },
  { key: 'switches', title: 'Switches' },
];

export function Controls(props: { panels: Overview['panels']; refresh: () => void }) {
  return (
    <section aria-labelledby="controls-title" class="panel controls">
      <h2 id="controls-title">Clock, faults, rate limits and switches</h2>
      <div class="control-grid">
        {PANELS.map(({ key, title, component: Panel }) => (
          <section aria-labelledby={`control-${key}`} class="control" key={key}>
            <h3 id={`control-${key}`}>{title}</h3>
            {props.panels[key] && Panel ? <Panel refresh={props.refresh} /> : <p class="unavailable">Not available on this server.</p>}
          </section>
        ))}
      </div>
    </section>
  );
}
