// The test controls: the clock, the rate limit, the switches and the fault rules, a panel each with
// the controls a test has (the same admin routes). The server reports which it has
// (overview.panels); one it lacks says so. Each panel reloads when its tick moves: after its own
// actions, on a `control` event naming it (a change made by anyone), and, for the faults and the
// rate limit, whose counters requests move, on `request` events.
import type { ComponentType } from 'preact';
import type { Overview } from './api.js';
import { ClockPanel } from './clock.js';
import { FaultsPanel } from './faults.js';
import { RateLimitPanel } from './rate-limit.js';
import { SwitchesPanel } from './switches.js';

export type PanelKey = keyof Overview['panels'];
export type Ticks = Record<PanelKey, number>;

interface PanelSpec {
  key: Exclude<PanelKey, 'journal'>;
  title: string;
  component: ComponentType<{ tick: number; names: Map<string, string> }>;
  /** spans the whole row (a table that needs the width) */
  wide?: boolean;
}

const PANELS: PanelSpec[] = [
  { key: 'clock', title: 'Clock', component: ClockPanel },
  { key: 'rate_limit', title: 'Rate limit', component: RateLimitPanel },
  { key: 'switches', title: 'Switches', component: SwitchesPanel },
  { key: 'faults', title: 'Faults', component: FaultsPanel, wide: true },
];

export function Controls(props: { panels: Overview['panels']; ticks: Ticks; names: Map<string, string> }) {
  return (
    <section aria-labelledby="controls-title" class="panel controls">
      <h2 id="controls-title">Clock, rate limit, switches and faults</h2>
      <div class="control-grid">
        {PANELS.map(({ key, title, component: Panel, wide }) => (
          <section aria-labelledby={`control-${key}`} class={`control control-${key}${wide ? ' wide' : ''}`} key={key}>
            <h3 id={`control-${key}`}>{title}</h3>
            {props.panels[key] ? <Panel tick={props.ticks[key]} names={props.names} /> : <p class="unavailable">Not available on this server.</p>}
          </section>
        ))}
      </div>
    </section>
  );
}
